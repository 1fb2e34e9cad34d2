package io.lazyq.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One mapped region of a local file, shared by every view and zero-copy buffer over it. The
 * mapping stays valid while anything holds a reference: the JVM unmaps it only once the buffer is
 * unreachable, so a released region can never be read after it is gone.
 */
public final class Mapping implements Region {
  private final MappedByteBuffer buffer;
  private final long fileOffset;
  private final RefCount references;

  /** Maps {@code length} bytes of {@code channel} from {@code offset}, read-only, counted in {@code stats}. */
  public static Mapping map(FileChannel channel, long offset, long length, MappingStats stats) throws IOException {
    return new Mapping(channel.map(FileChannel.MapMode.READ_ONLY, offset, length), offset, stats);
  }

  private Mapping(MappedByteBuffer buffer, long fileOffset, MappingStats stats) {
    this.buffer = buffer;
    this.fileOffset = fileOffset;
    this.references = new RefCount("mapping at " + fileOffset, () -> stats.released(buffer.capacity()));
    stats.mapped(buffer.capacity());
  }

  @Override
  public MappedByteBuffer buffer() {
    return buffer;
  }

  @Override
  public long fileOffset() {
    return fileOffset;
  }

  @Override
  public long length() {
    return buffer.capacity();
  }

  @Override
  public Mapping retain() {
    references.retain();
    return this;
  }

  /** Drops one holder; the last one returns the mapping's bytes to the live count. */
  @Override
  public void close() {
    references.release();
  }

  @Override
  public int references() {
    return references.get();
  }
}
