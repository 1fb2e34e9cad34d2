package io.lazyq.lossless;

import java.util.Arrays;

/**
 * A frame of reference over {@code count} values, the building block of most schemes:
 *
 * <pre>
 * i64 base
 * i64 step        at least 1: the common divisor of every value's distance from base
 * u8  w           0 to 64
 * ceil(count * w / 8) bytes of w-bit codes q, LSB first;   v_i = base + step * q_i (wrapping)
 * </pre>
 *
 * The step matters on real data: readings at a fixed resolution (an ECG in steps of 0.005 mV,
 * that is 5 after scaling by 10^3) save log2(step) bits a value.
 */
record Frame(long base, long step, int width) {
  static final int HEADER_BYTES = 17;

  /** The smallest frame that holds {@code v[from, from + count)}. */
  static Frame of(long[] v, int from, int count) {
    if (count == 0) {
      return new Frame(0, 1, 0);
    }
    long min = v[from];
    long max = min;
    for (int i = from + 1; i < from + count; i++) {
      min = Math.min(min, v[i]);
      max = Math.max(max, v[i]);
    }
    long range = max - min;
    long step = 1;
    // Unsigned ranges at or above 2^62 are not worth a divisor (and would overflow its search).
    if (range > 1 && (range >>> 62) == 0) {
      long g = 0;
      for (int i = from; i < from + count && g != 1; i++) {
        g = gcd(g, v[i] - min);
      }
      step = Math.max(g, 1);
    }
    return new Frame(min, step, bits(Long.divideUnsigned(range, step)));
  }

  /** Bits needed for unsigned {@code v}. */
  static int bits(long v) {
    return 64 - Long.numberOfLeadingZeros(v);
  }

  static int packedBytes(int count, int width) {
    return (int) (((long) count * width + 7) >>> 3);
  }

  int bytes(int count) {
    return HEADER_BYTES + packedBytes(count, width);
  }

  /**
   * Writes the frame of {@code v[from, from + count)} at {@code out[off]}; {@code out} needs 8
   * bytes beyond the frame. Returns the offset after it.
   */
  int write(long[] v, int from, int count, byte[] out, int off) {
    BlockFormat.putI64(out, off, base);
    BlockFormat.putI64(out, off + 8, step);
    out[off + 16] = (byte) width;
    int at = off + HEADER_BYTES;
    int packed = packedBytes(count, width);
    Arrays.fill(out, at, at + packed + 8, (byte) 0);
    if (width > 0) {
      for (int i = 0; i < count; i++) {
        long q = step == 1 ? v[from + i] - base : (v[from + i] - base) / step;
        put(out, at, (long) i * width, q, width);
      }
    }
    return at + packed;
  }

  private static void put(byte[] out, int at, long bit, long q, int width) {
    if (width > 56) {
      put(out, at, bit, q & 0xFFFF_FFFFL, 32);
      put(out, at, bit + 32, q >>> 32, width - 32);
      return;
    }
    int p = at + (int) (bit >>> 3);
    BlockFormat.putI64(out, p, BlockFormat.i64(out, p) | (q << (bit & 7)));
  }

  /** The offset after the frame of {@code count} values at {@code off}, or -1 if its width is not 0 to 64. */
  static int end(byte[] in, int off, int count) {
    int w = in[off + 16] & 0xFF;
    return w > 64 ? -1 : off + HEADER_BYTES + packedBytes(count, w);
  }

  /**
   * Decodes the frame of {@code count} values at {@code in[off]} into {@code out[outOff ..]};
   * {@code in} needs 8 readable bytes beyond the frame. Returns the offset after it.
   */
  static int read(byte[] in, int off, int count, long[] out, int outOff) {
    long base = BlockFormat.i64(in, off);
    long step = BlockFormat.i64(in, off + 8);
    int w = in[off + 16] & 0xFF;
    int at = off + HEADER_BYTES;
    if (w == 0) {
      Arrays.fill(out, outOff, outOff + count, base);
    } else if (w <= 56) {
      long mask = -1L >>> (64 - w);
      for (int i = 0; i < count; i++) {
        long bit = (long) i * w;
        long q = (BlockFormat.i64(in, at + (int) (bit >>> 3)) >>> (bit & 7)) & mask;
        out[outOff + i] = base + step * q;
      }
    } else {
      long highMask = -1L >>> (64 - (w - 32));
      for (int i = 0; i < count; i++) {
        long bit = (long) i * w;
        long lo = (BlockFormat.i64(in, at + (int) (bit >>> 3)) >>> (bit & 7)) & 0xFFFF_FFFFL;
        long hiBit = bit + 32;
        long hi = (BlockFormat.i64(in, at + (int) (hiBit >>> 3)) >>> (hiBit & 7)) & highMask;
        out[outOff + i] = base + step * (lo | hi << 32);
      }
    }
    return at + packedBytes(count, w);
  }

  private static long gcd(long a, long b) {
    a = Math.abs(a);
    b = Math.abs(b);
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
