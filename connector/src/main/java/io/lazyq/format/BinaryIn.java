package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked little-endian cursor over metadata read from a file. Every read checks the
 * bytes remaining first, and every failure names the source and the absolute offset.
 */
final class BinaryIn {
  private final ByteBuffer buf;
  private final String source;
  private final long base;

  /**
   * @param buf the bytes, from index 0 to its limit
   * @param source the file name for errors
   * @param base the absolute offset of {@code buf}'s index 0
   */
  BinaryIn(ByteBuffer buf, String source, long base) {
    this.buf = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    this.buf.position(0);
    this.source = source;
    this.base = base;
  }

  int u8() throws LazyQFormatException {
    need(1, "a byte");
    return buf.get() & 0xFF;
  }

  int u16() throws LazyQFormatException {
    need(2, "a 16-bit value");
    return buf.getShort() & 0xFFFF;
  }

  /** An unsigned 32-bit value that must not exceed {@code max}. */
  long u32(long max, String what) throws LazyQFormatException {
    need(4, what);
    long v = buf.getInt() & 0xFFFF_FFFFL;
    if (v > max) {
      throw error(-4, what + " is " + v + ", more than the " + max + " allowed here");
    }
    return v;
  }

  int u32Raw() throws LazyQFormatException {
    need(4, "a 32-bit value");
    return buf.getInt();
  }

  /** A 64-bit value that must lie in {@code [0, max]}. */
  long u64(long max, String what) throws LazyQFormatException {
    need(8, what);
    long v = buf.getLong();
    if (v < 0 || v > max) {
      throw error(-8, what + " is " + Long.toUnsignedString(v) + ", outside [0, " + max + "]");
    }
    return v;
  }

  long u64Raw() throws LazyQFormatException {
    need(8, "a 64-bit value");
    return buf.getLong();
  }

  double f64() throws LazyQFormatException {
    return Double.longBitsToDouble(u64Raw());
  }

  /** A UTF-8 string with a 32-bit length, at most {@code maxBytes} and never more than remains. */
  String string(int maxBytes, String what) throws LazyQFormatException {
    int len = (int) u32(maxBytes, "length of " + what);
    need(len, what);
    byte[] b = new byte[len];
    buf.get(b);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw error(-len, what + " is not valid UTF-8");
    }
  }

  String source() {
    return source;
  }

  int remaining() {
    return buf.remaining();
  }

  /** Absolute offset of the next byte. */
  long offset() {
    return base + buf.position();
  }

  LazyQFormatException error(int relative, String problem) {
    return new LazyQFormatException(source, offset() + relative, problem);
  }

  private void need(long n, String what) throws LazyQFormatException {
    if (n > buf.remaining()) {
      throw error(0, "truncated: " + what + " needs " + n + " bytes, " + buf.remaining() + " remain");
    }
  }
}
