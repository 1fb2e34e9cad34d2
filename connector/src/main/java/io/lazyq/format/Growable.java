package io.lazyq.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A little-endian byte buffer that grows by doubling and is reused from chunk to chunk, so that a
 * writer's memory settles at the size of its largest chunk.
 */
final class Growable {
  private ByteBuffer buf = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);

  void putInt(int v) {
    ensure(4).putInt(v);
  }

  void putLong(long v) {
    ensure(8).putLong(v);
  }

  void putFloat(float v) {
    ensure(4).putFloat(v);
  }

  void putDouble(double v) {
    ensure(8).putDouble(v);
  }

  void putByte(byte v) {
    ensure(1).put(v);
  }

  void put(byte[] bytes) {
    ensure(bytes.length).put(bytes);
  }

  int size() {
    return buf.position();
  }

  /** Sets byte {@code index}'s bit {@code bit} to 0. */
  void clearBit(int index, int bit) {
    buf.put(index, (byte) (buf.get(index) & ~(1 << bit)));
  }

  void setBit(int index, int bit) {
    buf.put(index, (byte) (buf.get(index) | (1 << bit)));
  }

  /** The bytes written so far, as a read-only little-endian view (valid until the next write). */
  ByteBuffer view() {
    return buf.duplicate().flip().slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  void reset() {
    buf.clear();
  }

  long capacity() {
    return buf.capacity();
  }

  private ByteBuffer ensure(int n) {
    if (buf.remaining() < n) {
      long wanted = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("a column chunk buffer cannot exceed 2 GiB; lower chunkRows or chunkBytes");
      }
      ByteBuffer bigger = ByteBuffer.allocate((int) wanted).order(ByteOrder.LITTLE_ENDIAN);
      bigger.put(buf.flip());
      buf = bigger;
    }
    return buf;
  }
}
