package io.lazyq.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One mapped region of a local file, or a slice of one, shared by every view and zero-copy buffer
 * over it. Several ranges mapped together (the columns of a chunk that a reader selects) are slices
 * of one mapping, which is released when the last slice is. The mapping stays valid while anything
 * holds a reference: the JVM unmaps it only once the buffer is unreachable, so a released region
 * can never be read after it is gone.
 */
public final class Mapping implements Region {
  private final ByteBuffer buffer;
  private final long fileOffset;
  private final RefCount references;

  /** Maps {@code length} bytes of {@code channel} from {@code offset}, read-only, counted in {@code stats}. */
  public static Mapping map(FileChannel channel, long offset, long length, MappingStats stats) throws IOException {
    MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
    int bytes = mapped.capacity();
    stats.mapped(bytes);
    return new Mapping(mapped, offset, new RefCount("mapping at " + offset, () -> stats.released(bytes)));
  }

  private Mapping(ByteBuffer buffer, long fileOffset, RefCount references) {
    this.buffer = buffer;
    this.fileOffset = fileOffset;
    this.references = references;
  }

  /**
   * A region over {@code length} bytes from {@code offset} in the file, within this mapping, that
   * holds the mapping until it is closed. {@code first} hands the caller's own reference over to
   * the slice, as the first of several does.
   */
  public Mapping slice(long offset, long length, boolean first) {
    if (offset < fileOffset || offset + length > fileOffset + buffer.capacity()) {
      throw new IllegalArgumentException("bytes [" + offset + ", " + (offset + length) + ") outside the mapping at "
          + fileOffset + " of " + buffer.capacity());
    }
    if (!first) {
      references.retain();
    }
    ByteBuffer b = buffer.slice(Math.toIntExact(offset - fileOffset), Math.toIntExact(length));
    return new Mapping(b, offset, new RefCount("mapping at " + offset, this::close));
  }

  @Override
  public ByteBuffer buffer() {
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
