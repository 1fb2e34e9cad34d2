package io.lazyq.storage;

import io.lazyq.LazyQFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * A file on a Hadoop file system (HDFS, S3A, ...). Reads fetch exact byte ranges: metadata from
 * the file's last 64 KiB in one request (its first 16 KiB in another, only for what the footer
 * does not hold), then each chunk's selected columns in one vectored read, with ranges closer than
 * the stream's minimum seek merged into one request.
 */
final class HadoopInputFile implements InputFile {
  /** Enough for the file header and a typical schema frame. */
  private static final int HEAD_BYTES = 16 << 10;
  /** Enough for the trailer and the footer of a file of a few hundred chunks. */
  private static final int TAIL_BYTES = 64 << 10;

  private final FileSystem fs;
  private final Path path;
  private final String location;
  private final FileVersion version;
  private final BufferPool pool;

  /** @param version the file's version if a listing told it (saves a metadata request), else null */
  HadoopInputFile(FileSystem fs, Path path, String location, FileVersion version, BufferPool pool) {
    this.fs = fs;
    this.path = path;
    this.location = location;
    this.version = version;
    this.pool = pool;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public FileVersion cacheableVersion() {
    return version != null && version.modified() > 0 ? version : null;
  }

  @Override
  public RangeReader open() throws IOException {
    try {
      var builder = fs.openFile(path).opt("fs.option.openfile.read.policy", "vector, random");
      long length = version == null ? fs.getFileStatus(path).getLen() : version.length();
      builder.opt("fs.option.openfile.length", Long.toString(length));
      FSDataInputStream in = FutureIO.awaitFuture(builder.build());
      return new Reader(in, length);
    } catch (IOException e) {
      throw HadoopStorage.named(location, e);
    }
  }

  @Override
  public InputStream newStream() throws IOException {
    try {
      return FutureIO.awaitFuture(fs.openFile(path).opt("fs.option.openfile.read.policy", "sequential").build());
    } catch (IOException e) {
      throw HadoopStorage.named(location, e);
    }
  }

  private final class Reader implements RangeReader {
    private final FSDataInputStream in;
    private final long length;
    private final MappingStats stats = new MappingStats();
    /** The file's last bytes (all of a small file), fetched on the first read among them; null until then. */
    private ByteBuffer tail;
    private long tailAt;
    /** The file's first bytes, fetched on the first read among them that the tail does not hold. */
    private ByteBuffer head;

    Reader(FSDataInputStream in, long length) {
      this.in = in;
      this.length = length;
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public boolean remote() {
      return true;
    }

    @Override
    public synchronized ByteBuffer read(long offset, int bytes) throws IOException {
      boolean small = length <= HEAD_BYTES + TAIL_BYTES;
      if (tail == null && (small || offset + bytes > length - TAIL_BYTES)) {
        // One request for the trailer and the footer; a small file comes whole.
        tailAt = small ? 0 : length - TAIL_BYTES;
        tail = readEnd(tailAt, length - tailAt);
      }
      if (tail != null && offset >= tailAt && offset + bytes <= length) {
        return copy(tail, (int) (offset - tailAt), bytes);
      }
      if (head == null && offset + bytes <= HEAD_BYTES && offset + bytes <= length) {
        head = readEnd(0, Math.min(HEAD_BYTES, length));
      }
      if (head != null && offset + bytes <= head.capacity()) {
        return copy(head, (int) offset, bytes);
      }
      byte[] b = new byte[bytes];
      long start = System.nanoTime();
      try {
        in.readFully(offset, b);
      } catch (IOException e) {
        throw HadoopStorage.named(location, e, offset);
      }
      stats.fetched(bytes, 1, System.nanoTime() - start);
      return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** One range of the file on the heap, in one request. */
    private ByteBuffer readEnd(long at, long bytes) throws IOException {
      List<ByteRange> range = List.of(new ByteRange(at, bytes));
      long start = System.nanoTime();
      ByteBuffer got = readVectored(range, ByteBuffer::allocate, b -> {}).get(0);
      stats.fetched(bytes, 1, System.nanoTime() - start);
      return got;
    }

    private ByteBuffer copy(ByteBuffer from, int at, int bytes) {
      ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
      b.put(0, from, at, bytes);
      return b;
    }

    @Override
    public List<Region> fetch(List<ByteRange> ranges) throws IOException {
      // Merge ranges the stream would rather read through than seek past; the stream then sends
      // one request per merged range.
      List<ByteRange> sorted = new ArrayList<>(ranges);
      sorted.removeIf(r -> r.length() == 0);
      sorted.sort(Comparator.comparingLong(ByteRange::offset));
      long gap = Math.max(0, VectoredReads.minSeek(in));
      List<ByteRange> merged = new ArrayList<>();
      for (ByteRange r : sorted) {
        ByteRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
        if (last != null && r.offset() - last.end() <= gap && Math.max(last.end(), r.end()) - last.offset() <= Integer.MAX_VALUE) {
          merged.set(merged.size() - 1, new ByteRange(last.offset(), Math.max(last.end(), r.end()) - last.offset()));
        } else {
          merged.add(r);
        }
      }
      long start = System.nanoTime();
      List<ByteBuffer> buffers = readVectored(merged, pool::acquire, pool::release);
      stats.fetched(length(merged), merged.size(), System.nanoTime() - start);
      List<PooledRegion.Shared> shared = new ArrayList<>(merged.size());
      for (int i = 0; i < merged.size(); i++) {
        shared.add(new PooledRegion.Shared(buffers.get(i), merged.get(i).offset(), pool, stats));
      }
      boolean[] sliced = new boolean[merged.size()];
      List<Region> regions = new ArrayList<>(ranges.size());
      for (ByteRange r : ranges) {
        if (r.length() == 0) {
          regions.add(new HeapRegion(ByteBuffer.allocate(0), r.offset()));
          continue;
        }
        int m = containing(merged, r);
        regions.add(shared.get(m).slice(r.offset(), r.length(), !sliced[m]));
        sliced[m] = true;
      }
      return regions;
    }

    private static long length(List<ByteRange> ranges) {
      return ranges.stream().mapToLong(ByteRange::length).sum();
    }

    private int containing(List<ByteRange> merged, ByteRange r) {
      int lo = 0;
      int hi = merged.size() - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (merged.get(mid).offset() <= r.offset()) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    }

    /** Reads the ranges, waiting for all; on any failure every buffer already filled goes back. */
    private List<ByteBuffer> readVectored(List<ByteRange> ranges, IntFunction<ByteBuffer> allocate,
        Consumer<ByteBuffer> release) throws IOException {
      for (ByteRange r : ranges) {
        if (r.end() > length) {
          throw new LazyQFormatException(location, r.offset(), "range of " + r.length()
              + " bytes runs past the end of the file (" + length + " bytes)");
        }
      }
      IOException failure = null;
      List<ByteBuffer> filled = new ArrayList<>(ranges.size());
      List<CompletableFuture<ByteBuffer>> started;
      try {
        started = VectoredReads.start(in, ranges, allocate, release);
      } catch (IOException e) {
        throw HadoopStorage.named(location, e);
      }
      for (int i = 0; i < started.size(); i++) {
        CompletableFuture<ByteBuffer> data = started.get(i);
        try {
          ByteBuffer b = FutureIO.awaitFuture(data);
          filled.add(b.order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException | RuntimeException e) {
          // An interrupted wait (a task cancelled mid-read) leaves the read running: its buffer goes
          // back to the pool when it arrives. A read that failed completes no buffer.
          data.thenAccept(release);
          IOException named = e instanceof IOException io ? HadoopStorage.named(location, io, ranges.get(i).offset())
              : new IOException(location + ": " + e.getMessage(), e);
          if (failure == null) {
            failure = named;
          } else {
            failure.addSuppressed(named);
          }
        }
      }
      if (failure != null) {
        filled.forEach(release);
        throw failure;
      }
      return filled;
    }

    @Override
    public MappingStats stats() {
      return stats;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
