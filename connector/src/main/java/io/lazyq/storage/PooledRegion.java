package io.lazyq.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A range fetched into a pooled buffer, or a slice of one: several columns fetched in one merged
 * request share the buffer, which goes back to the pool when the last slice is closed.
 */
final class PooledRegion implements Region {
  /** One pooled buffer and the count of slices holding it. */
  static final class Shared {
    private final ByteBuffer buffer;
    private final long fileOffset;
    private final RefCount references;

    Shared(ByteBuffer buffer, long fileOffset, BufferPool pool, MappingStats stats) {
      this.buffer = buffer;
      this.fileOffset = fileOffset;
      int bytes = buffer.limit();
      stats.held(bytes);
      this.references = new RefCount("fetched range at " + fileOffset, () -> {
        stats.released(bytes);
        pool.release(buffer);
      });
    }

    /** A region over {@code length} bytes from {@code offset} in the file; the first slice takes over the creator's reference. */
    PooledRegion slice(long offset, long length, boolean first) {
      if (!first) {
        references.retain();
      }
      int from = Math.toIntExact(offset - fileOffset);
      ByteBuffer b = buffer.slice(from, Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
      return new PooledRegion(this, b, offset);
    }

    void release() {
      references.release();
    }
  }

  private final Shared shared;
  private final ByteBuffer bytes;
  private final long fileOffset;
  private final RefCount references;

  private PooledRegion(Shared shared, ByteBuffer bytes, long fileOffset) {
    this.shared = shared;
    this.bytes = bytes;
    this.fileOffset = fileOffset;
    this.references = new RefCount("fetched range at " + fileOffset, shared::release);
  }

  @Override
  public ByteBuffer buffer() {
    return bytes;
  }

  @Override
  public long fileOffset() {
    return fileOffset;
  }

  @Override
  public long length() {
    return bytes.capacity();
  }

  @Override
  public Region retain() {
    references.retain();
    return this;
  }

  @Override
  public void close() {
    references.release();
  }

  @Override
  public int references() {
    return references.get();
  }
}
