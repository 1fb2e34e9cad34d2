package io.lazyq.storage;

import java.nio.ByteBuffer;

/** Bytes on the heap that need no release, such as an empty range: closing them is a no-op. */
record HeapRegion(ByteBuffer buffer, long fileOffset) implements Region {
  @Override
  public long length() {
    return buffer.capacity();
  }

  @Override
  public Region retain() {
    return this;
  }

  @Override
  public void close() {}

  @Override
  public int references() {
    return 1;
  }
}
