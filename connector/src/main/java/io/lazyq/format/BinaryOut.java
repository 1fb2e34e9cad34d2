package io.lazyq.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte sink for the format's small metadata structures. */
final class BinaryOut {
  private byte[] bytes = new byte[256];
  private int size;

  BinaryOut u8(int v) {
    ensure(1);
    bytes[size++] = (byte) v;
    return this;
  }

  BinaryOut u16(int v) {
    ensure(2);
    bytes[size++] = (byte) v;
    bytes[size++] = (byte) (v >>> 8);
    return this;
  }

  BinaryOut u32(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      bytes[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  BinaryOut u64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      bytes[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  BinaryOut f64(double v) {
    return u64(Double.doubleToRawLongBits(v));
  }

  /** A string with a 32-bit byte length. */
  BinaryOut string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    u32(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, size, utf8.length);
    size += utf8.length;
    return this;
  }

  /** The buffer's remaining bytes, as they are. */
  BinaryOut bytes(ByteBuffer b) {
    int n = b.remaining();
    ensure(n);
    b.duplicate().get(bytes, size, n);
    size += n;
    return this;
  }

  int size() {
    return size;
  }

  ByteBuffer toBuffer() {
    return ByteBuffer.wrap(Arrays.copyOf(bytes, size)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void ensure(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
  }
}
