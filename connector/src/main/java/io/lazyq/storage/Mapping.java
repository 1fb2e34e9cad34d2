package io.lazyq.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One mapped region of a file, shared by every view and zero-copy buffer over it. The mapping
 * stays valid while anything holds a reference: the JVM unmaps it only once the buffer is
 * unreachable, so a released region can never be read after it is gone.
 */
public final class Mapping implements Closeable {
  private final MappedByteBuffer buffer;
  private final long fileOffset;
  private final MappingStats stats;
  private final AtomicInteger references = new AtomicInteger(1);

  /** Maps {@code length} bytes of {@code channel} from {@code offset}, read-only, counted in {@code stats}. */
  public static Mapping map(FileChannel channel, long offset, long length, MappingStats stats) throws IOException {
    return new Mapping(channel.map(FileChannel.MapMode.READ_ONLY, offset, length), offset, stats);
  }

  private Mapping(MappedByteBuffer buffer, long fileOffset, MappingStats stats) {
    this.buffer = buffer;
    this.fileOffset = fileOffset;
    this.stats = stats;
    stats.mapped(buffer.capacity());
  }

  /** The mapped bytes; a holder must {@link #retain()} before handing them to another owner. */
  public MappedByteBuffer buffer() {
    return buffer;
  }

  public long fileOffset() {
    return fileOffset;
  }

  public long length() {
    return buffer.capacity();
  }

  /** Adds a holder, for example a zero-copy Arrow buffer. */
  public Mapping retain() {
    if (references.getAndIncrement() <= 0) {
      references.decrementAndGet();
      throw new IllegalStateException("mapping at " + fileOffset + " was already released");
    }
    return this;
  }

  /** Drops one holder; the last one returns the mapping's bytes to the live count. */
  @Override
  public void close() {
    int left = references.decrementAndGet();
    if (left == 0) {
      stats.released(buffer.capacity());
    } else if (left < 0) {
      references.incrementAndGet();
      throw new IllegalStateException("mapping at " + fileOffset + " released more times than retained");
    }
  }

  /** Holders left; 0 once released. */
  public int references() {
    return references.get();
  }
}
