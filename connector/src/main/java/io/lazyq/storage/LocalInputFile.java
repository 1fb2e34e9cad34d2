package io.lazyq.storage;

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

/** A file on a local disk: its ranges are mapped, not copied. */
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
    private final MappingStats stats = new MappingStats();

    /** Reads {@code channel}, which the reader then owns. */
    public Reader(FileChannel channel, String location) {
      this.channel = channel;
      this.location = location;
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
      long at = offset;
      while (b.hasRemaining()) {
        int n = channel.read(b, at);
        if (n < 0) {
          throw new LazyQFormatException(location, at, "unexpected end of file", new EOFException());
        }
        at += n;
      }
      return b.flip();
    }

    /**
     * Maps each run of neighbouring ranges (apart by less than a page, which a mapping spans anyway)
     * once, and hands out slices of it: the columns of a chunk that a scan selects share one
     * mapping. A mapping per column cost its system call and its unmapping, 20-80 µs each on a
     * loaded machine, up to 2 ns a value of a 45,626-row chunk (ColumnOpenBench).
     */
    @Override
    public List<Region> fetch(List<ByteRange> ranges) throws IOException {
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
          while (to < order.length && neighbour(ranges.get(order[to]), first.offset(), end)) {
            end = Math.max(end, ranges.get(order[to]).end());
            to++;
          }
          Mapping span = Mapping.map(channel, first.offset(), end - first.offset(), stats);
          if (to == from + 1) {
            regions[order[from]] = span;
          } else {
            for (int k = from; k < to; k++) {
              ByteRange r = ranges.get(order[k]);
              regions[order[k]] = span.slice(r.offset(), r.length(), k == from);
            }
          }
          from = to;
        }
      } catch (IOException | RuntimeException e) {
        for (Region r : regions) {
          if (r != null) {
            r.close();
          }
        }
        throw e;
      }
      return new ArrayList<>(Arrays.asList(regions));
    }

    /** Whether {@code r} joins the mapping of {@code [start, end)}: near its end, and the mapping stays under 2 GiB. */
    private static boolean neighbour(ByteRange r, long start, long end) {
      return r.length() > 0 && r.offset() < end + NEIGHBOURS && Math.max(end, r.end()) - start <= Integer.MAX_VALUE;
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
