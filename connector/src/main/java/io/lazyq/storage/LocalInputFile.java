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

  /** Positioned reads over a channel; {@link #fetch} maps each range on its own, as mapping costs no I/O. */
  public static final class Reader implements RangeReader {
    private final FileChannel channel;
    private final String location;
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

    @Override
    public List<Region> fetch(List<ByteRange> ranges) throws IOException {
      List<Region> regions = new ArrayList<>(ranges.size());
      try {
        for (ByteRange r : ranges) {
          regions.add(r.length() == 0 ? new HeapRegion(ByteBuffer.allocate(0), r.offset())
              : Mapping.map(channel, r.offset(), r.length(), stats));
        }
      } catch (IOException | RuntimeException e) {
        regions.forEach(Region::close);
        throw e;
      }
      return regions;
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
