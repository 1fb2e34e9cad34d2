package io.lazyq.storage;

import io.lazyq.Closeables;
import io.lazyq.LazyQFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** A file on a local disk: its ranges are mapped, not copied, except those that are decoded ({@link Reader#fetchDecoded}). */
public record LocalInputFile(Path path) implements InputFile {

  @Override
  public String location() {
    return path.toString();
  }

  @Override
  public Reader open() throws IOException {
    return new Reader(FileChannel.open(path, StandardOpenOption.READ), location());
  }

  @Override
  public InputStream newStream() throws IOException {
    return Files.newInputStream(path);
  }

  /** Positioned reads over a channel; {@link #fetch} maps ranges rather than reading them, as mapping costs no I/O. */
  public static final class Reader implements RangeReader {
    private final FileChannel channel;
    private final String location;
    /** Ranges closer than this share a mapping: a page, the unit a mapping covers anyway. */
    private static final long NEIGHBOURS = 4096;
    /**
     * The largest span read into a pooled buffer ({@link #fetchDecoded}); a larger range is mapped,
     * and neighbours merge only up to it, so that a chunk's many decoded columns are not one huge
     * buffer (ten neighbouring 6 MiB columns, 64 MiB).
     */
    public static final long DECODED_SPAN_BYTES = 16L << 20;
    private final MappingStats stats = new MappingStats();
    private final BufferPool pool;

    /** Reads {@code channel}, which the reader then owns. */
    public Reader(FileChannel channel, String location) {
      this(channel, location, BufferPool.shared());
    }

    /** Reads {@code channel}, which the reader then owns, taking decoded ranges' buffers from {@code pool}. */
    Reader(FileChannel channel, String location, BufferPool pool) {
      this.channel = channel;
      this.location = location;
      this.pool = pool;
    }

    /** The open channel, for readers that scan a file still being written. */
    public FileChannel channel() {
      return channel;
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public long length() throws IOException {
      return channel.size();
    }

    @Override
    public ByteBuffer read(long offset, int length) throws IOException {
      ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
      readFully(b, offset);
      return b.flip();
    }

    /** Fills {@code b} from {@code offset}; a file that ends first fails as truncated. */
    private void readFully(ByteBuffer b, long offset) throws IOException {
      long at = offset;
      while (b.hasRemaining()) {
        int n = channel.read(b, at);
        if (n < 0) {
          throw new LazyQFormatException(location, at, "unexpected end of file", new EOFException());
        }
        at += n;
      }
    }

    /**
     * Maps each run of neighbouring ranges (apart by less than a page, which a mapping spans anyway)
     * once, and hands out slices of it: the columns of a chunk that a scan selects share one
     * mapping. A mapping per column cost its system call and its unmapping, 20-80 µs each on a
     * loaded machine, up to 2 ns a value of a 45,626-row chunk (ColumnOpenBench).
     */
    @Override
    public List<Region> fetch(List<ByteRange> ranges) throws IOException {
      return take(ranges, Integer.MAX_VALUE, this::map);
    }

    private Span map(long offset, long length) throws IOException {
      Mapping span = Mapping.map(channel, offset, length, stats);
      return span::slice;
    }

    /**
     * Reads each run of neighbouring ranges, up to {@link #DECODED_SPAN_BYTES}, into one buffer of
     * the pool ({@link BufferPool#shared()}) and hands out slices of it, for bytes that are decoded
     * rather than wrapped. A fresh mapping's first touch of each page is a page fault, about 1.2 µs
     * a 4 KiB page on this project's test machine (a 1.36 MB column chunk: 400-440 µs mapped and
     * touched against 40-45 µs read into a reused direct buffer), which made up most of a
     * lightweight column's opening (RealDataBench). A range over the span's limit is mapped, as is
     * a span the pool refuses ({@link BufferPool#tryAcquire}: past its limit, a quarter of the
     * JVM's direct memory at most, or out of direct memory). Counted as mapped: the bytes a column
     * took from the file. A file cut short fails as truncated, where a mapping would fault.
     */
    @Override
    public List<Region> fetchDecoded(List<ByteRange> ranges) throws IOException {
      return take(ranges, DECODED_SPAN_BYTES, (offset, length) -> {
        ByteBuffer b = length <= DECODED_SPAN_BYTES ? pool.tryAcquire((int) length) : null;
        if (b == null) {
          return map(offset, length);
        }
        boolean read = false;
        try {
          readFully(b, offset);
          read = true;
        } finally {
          if (!read) {
            pool.release(b);
          }
        }
        stats.copied(length);
        PooledRegion.Shared span = new PooledRegion.Shared(b.flip(), offset, pool, stats);
        return span::slice;
      });
    }

    /** Bytes of the file taken as one span, handing out slices of it; the first slice takes the span's own reference. */
    private interface Span {
      Region slice(long offset, long length, boolean first);
    }

    private interface SpanTaker {
      Span take(long offset, long length) throws IOException;
    }

    /** One span per run of neighbouring ranges, a region of it per range, in the ranges' order. */
    private List<Region> take(List<ByteRange> ranges, long maxSpan, SpanTaker taker) throws IOException {
      Region[] regions = new Region[ranges.size()];
      Integer[] order = new Integer[ranges.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingLong(i -> ranges.get(i).offset()));
      try {
        for (int from = 0; from < order.length; ) {
          ByteRange first = ranges.get(order[from]);
          if (first.length() == 0) {
            regions[order[from++]] = new HeapRegion(ByteBuffer.allocate(0), first.offset());
            continue;
          }
          long end = first.end();
          int to = from + 1;
          while (to < order.length && neighbour(ranges.get(order[to]), first.offset(), end, maxSpan)) {
            end = Math.max(end, ranges.get(order[to]).end());
            to++;
          }
          Span span = taker.take(first.offset(), end - first.offset());
          for (int k = from; k < to; k++) {
            ByteRange r = ranges.get(order[k]);
            regions[order[k]] = span.slice(r.offset(), r.length(), k == from);
          }
          from = to;
        }
      } catch (Throwable e) {
        // An error too (a direct buffer's OutOfMemoryError): the spans taken go back all the same.
        Closeables.closeOnFailure(e, regions);
        throw e;
      }
      return new ArrayList<>(Arrays.asList(regions));
    }

    /** Whether {@code r} joins the span of {@code [start, end)}: near its end, and the span stays within {@code maxSpan} bytes. */
    private static boolean neighbour(ByteRange r, long start, long end, long maxSpan) {
      return r.length() > 0 && r.offset() < end + NEIGHBOURS && Math.max(end, r.end()) - start <= maxSpan;
    }

    @Override
    public MappingStats stats() {
      return stats;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
