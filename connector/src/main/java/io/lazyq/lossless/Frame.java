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
    int i = 0;
    if (w == 0) {
      Arrays.fill(out, outOff, outOff + count, base);
      return at;
    }
    if (w <= 16) {
      // Eight codes at a time, as readScaled does.
      long mask = (1L << w) - 1;
      int w2 = 2 * w;
      int w3 = 3 * w;
      int half = w >>> 1;
      int h0 = 4 * (w & 1);
      int h1 = h0 + w;
      int h2 = h0 + w2;
      int h3 = h0 + w3;
      int groups = count & ~7;
      for (int p = at; i < groups; i += 8, p += w) {
        long lo = BlockFormat.i64(in, p);
        long hi = BlockFormat.i64(in, p + half);
        int y = outOff + i;
        out[y] = base + step * (lo & mask);
        out[y + 1] = base + step * ((lo >>> w) & mask);
        out[y + 2] = base + step * ((lo >>> w2) & mask);
        out[y + 3] = base + step * ((lo >>> w3) & mask);
        out[y + 4] = base + step * ((hi >>> h0) & mask);
        out[y + 5] = base + step * ((hi >>> h1) & mask);
        out[y + 6] = base + step * ((hi >>> h2) & mask);
        out[y + 7] = base + step * ((hi >>> h3) & mask);
      }
    } else if (w <= 56) {
      // Eight codes fill w bytes here too: code j at byte j * w / 8, bit j * w % 8, computed once
      // per frame by the compiled loop, one load each (readScaledWide).
      long mask = -1L >>> (64 - w);
      int groups = count & ~7;
      for (int p = at; i < groups; i += 8, p += w) {
        int y = outOff + i;
        out[y] = base + step * (BlockFormat.i64(in, p) & mask);
        out[y + 1] = base + step * ((BlockFormat.i64(in, p + (w >>> 3)) >>> (w & 7)) & mask);
        out[y + 2] = base + step * ((BlockFormat.i64(in, p + (2 * w >>> 3)) >>> (2 * w & 7)) & mask);
        out[y + 3] = base + step * ((BlockFormat.i64(in, p + (3 * w >>> 3)) >>> (3 * w & 7)) & mask);
        out[y + 4] = base + step * ((BlockFormat.i64(in, p + (4 * w >>> 3)) >>> (4 * w & 7)) & mask);
        out[y + 5] = base + step * ((BlockFormat.i64(in, p + (5 * w >>> 3)) >>> (5 * w & 7)) & mask);
        out[y + 6] = base + step * ((BlockFormat.i64(in, p + (6 * w >>> 3)) >>> (6 * w & 7)) & mask);
        out[y + 7] = base + step * ((BlockFormat.i64(in, p + (7 * w >>> 3)) >>> (7 * w & 7)) & mask);
      }
    }
    if (w <= 56) {
      long mask = -1L >>> (64 - w);
      for (; i < count; i++) {
        long bit = (long) i * w;
        long q = (BlockFormat.i64(in, at + (int) (bit >>> 3)) >>> (bit & 7)) & mask;
        out[outOff + i] = base + step * q;
      }
    } else {
      long highMask = -1L >>> (64 - (w - 32));
      for (; i < count; i++) {
        long bit = (long) i * w;
        long lo = (BlockFormat.i64(in, at + (int) (bit >>> 3)) >>> (bit & 7)) & 0xFFFF_FFFFL;
        long hiBit = bit + 32;
        long hi = (BlockFormat.i64(in, at + (int) (hiBit >>> 3)) >>> (hiBit & 7)) & highMask;
        out[outOff + i] = base + step * (lo | hi << 32);
      }
    }
    return at + packedBytes(count, w);
  }

  /**
   * Decodes the frame of {@code count} values at {@code in[off]} straight to float32, value i as
   * {@code (float) (v_i * scale)}: what a decimal or quantized block's integers decode to,
   * without their round trip through memory. {@code v_i} is {@code base + step * q_i}, or, where
   * {@code running}, the running sum of those from {@code first} on (a delta block's differences).
   * Widths up to 16 unpack eight codes at a time, which fill exactly {@code w} bytes: two 64-bit
   * loads and shifts that are constant per frame, where the general loop computes a bit offset,
   * loads and shifts per value (2.4 to 6.1 GB/s of float32 on two-decimal noise, per CPU second,
   * BlockDecodeBench). {@code in} needs 8 readable bytes beyond the frame.
   */
  static void readScaled(byte[] in, int off, int count, double scale, boolean running, long first, float[] out, int outOff) {
    long base = BlockFormat.i64(in, off);
    long step = BlockFormat.i64(in, off + 8);
    int w = in[off + 16] & 0xFF;
    int at = off + HEADER_BYTES;
    long acc = first;
    int i = 0;
    if (w <= 16) {
      long mask = (1L << w) - 1;
      int w2 = 2 * w;
      int w3 = 3 * w;
      // The second word starts at bit 4w rounded down to a byte: w / 2 bytes in, 4 bits more for odd w.
      int half = w >>> 1;
      int h0 = 4 * (w & 1);
      int h1 = h0 + w;
      int h2 = h0 + w2;
      int h3 = h0 + w3;
      int groups = count & ~7;
      if (step == 1) {
        // The same loop without the multiply, as readScaledPairs has it: every decimal frame and
        // delta of PM2.5/weather's DEWP, HUMI, PRES, TEMP and Iws has step 1; Iws (decimal
        // frames) 0.62-0.63 -> 0.56-0.59 ns a value, TEMP (deltas) 0.77-1.00 -> 0.68-0.85 at a
        // load average of 5-6 (the column alone, best of 100, two runs of each alternated).
        for (int p = at; i < groups; i += 8, p += w) {
          long lo = w == 0 ? 0 : BlockFormat.i64(in, p);
          long hi = w == 0 ? 0 : BlockFormat.i64(in, p + half);
          long v0 = base + (lo & mask);
          long v1 = base + ((lo >>> w) & mask);
          long v2 = base + ((lo >>> w2) & mask);
          long v3 = base + ((lo >>> w3) & mask);
          long v4 = base + ((hi >>> h0) & mask);
          long v5 = base + ((hi >>> h1) & mask);
          long v6 = base + ((hi >>> h2) & mask);
          long v7 = base + ((hi >>> h3) & mask);
          acc = store(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, scale, out, outOff + i);
        }
      } else {
        for (int p = at; i < groups; i += 8, p += w) {
          long lo = w == 0 ? 0 : BlockFormat.i64(in, p);
          long hi = w == 0 ? 0 : BlockFormat.i64(in, p + half);
          long v0 = base + step * (lo & mask);
          long v1 = base + step * ((lo >>> w) & mask);
          long v2 = base + step * ((lo >>> w2) & mask);
          long v3 = base + step * ((lo >>> w3) & mask);
          long v4 = base + step * ((hi >>> h0) & mask);
          long v5 = base + step * ((hi >>> h1) & mask);
          long v6 = base + step * ((hi >>> h2) & mask);
          long v7 = base + step * ((hi >>> h3) & mask);
          acc = store(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, scale, out, outOff + i);
        }
      }
    } else if (w <= 28) {
      // Its own method, so that a first wide frame (NAB's values after the weather's narrow ones)
      // recompiles a small method rather than the narrow loop's. One loop of eight loads for
      // every width instead took the narrow frames from 0.61-0.68 to 0.92-1.07 ns a value.
      i = count & ~7;
      acc = readScaledPairs(in, at, i, w, base, step, scale, running, acc, out, outOff);
    } else if (w <= 56) {
      i = count & ~7;
      acc = readScaledWide(in, at, i, w, base, step, scale, running, acc, out, outOff);
    }
    for (; i < count; i++) {
      long v = base + step * code(in, at, i, w);
      if (running) {
        v = acc += v;
      }
      out[outOff + i] = (float) (v * scale);
    }
  }

  /**
   * {@link #readScaled}'s groups of eight codes of {@code w} bits, 17 to 28, {@code groups} codes
   * in all (a multiple of 8), a pair a load as {@link #readBitsPairs} reads them: NAB's decimal
   * deltas of 23-25 bits 0.97-1.00 ns a value with eight loads a group ({@link #readScaledWide}),
   * 0.85-0.88 this way (each block alone, best of 150, two runs of each alternated). Returns the
   * running sum.
   */
  private static long readScaledPairs(byte[] in, int at, int groups, int w, long base, long step, double scale,
      boolean running, long acc, float[] out, int outOff) {
    long mask = -1L >>> (64 - w);
    int o2 = 2 * w >>> 3;
    int o4 = 4 * w >>> 3;
    int o6 = 6 * w >>> 3;
    int s2 = 2 * w & 7;
    int s4 = 4 * w & 7;
    int s6 = 6 * w & 7;
    if (step == 1) {
      // The same loop without the multiply, which every frame of NAB's deltas allows: raw-bit
      // deltas 0.84-0.85 -> 0.70-0.75 ns a value, decimal deltas 0.85-0.87 -> 0.74-0.86, the
      // whole column 0.73-0.74 -> 0.64-0.67 (blocks alone, best of 150, two runs of each
      // alternated).
      for (int i = 0, p = at; i < groups; i += 8, p += w) {
        long x0 = BlockFormat.i64(in, p);
        long x2 = BlockFormat.i64(in, p + o2) >>> s2;
        long x4 = BlockFormat.i64(in, p + o4) >>> s4;
        long x6 = BlockFormat.i64(in, p + o6) >>> s6;
        long v0 = base + (x0 & mask);
        long v1 = base + ((x0 >>> w) & mask);
        long v2 = base + (x2 & mask);
        long v3 = base + ((x2 >>> w) & mask);
        long v4 = base + (x4 & mask);
        long v5 = base + ((x4 >>> w) & mask);
        long v6 = base + (x6 & mask);
        long v7 = base + ((x6 >>> w) & mask);
        acc = store(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, scale, out, outOff + i);
      }
      return acc;
    }
    for (int i = 0, p = at; i < groups; i += 8, p += w) {
      long x0 = BlockFormat.i64(in, p);
      long x2 = BlockFormat.i64(in, p + o2) >>> s2;
      long x4 = BlockFormat.i64(in, p + o4) >>> s4;
      long x6 = BlockFormat.i64(in, p + o6) >>> s6;
      long v0 = base + step * (x0 & mask);
      long v1 = base + step * ((x0 >>> w) & mask);
      long v2 = base + step * (x2 & mask);
      long v3 = base + step * ((x2 >>> w) & mask);
      long v4 = base + step * (x4 & mask);
      long v5 = base + step * ((x4 >>> w) & mask);
      long v6 = base + step * (x6 & mask);
      long v7 = base + step * ((x6 >>> w) & mask);
      acc = store(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, scale, out, outOff + i);
    }
    return acc;
  }

  /**
   * {@link #readScaled}'s groups of eight codes of {@code w} bits, 29 to 56, {@code groups} codes
   * in all (a multiple of 8): decimals of more than 28 bits (a reading beside a sentinel). Code j of a group lies at byte j * w / 8 and bit j * w % 8 of it, constants per frame,
   * one load each (7 + 56 bits fit one), where the general loop computed a bit offset per value
   * (1.5-4 ns a value on NAB's blocks, 0.9-1.2 this way). Returns the running sum.
   */
  private static long readScaledWide(byte[] in, int at, int groups, int w, long base, long step, double scale,
      boolean running, long acc, float[] out, int outOff) {
    long mask = -1L >>> (64 - w);
    int o1 = w >>> 3;
    int o2 = 2 * w >>> 3;
    int o3 = 3 * w >>> 3;
    int o4 = 4 * w >>> 3;
    int o5 = 5 * w >>> 3;
    int o6 = 6 * w >>> 3;
    int o7 = 7 * w >>> 3;
    int s1 = w & 7;
    int s2 = 2 * w & 7;
    int s3 = 3 * w & 7;
    int s4 = 4 * w & 7;
    int s5 = 5 * w & 7;
    int s6 = 6 * w & 7;
    int s7 = 7 * w & 7;
    for (int i = 0, p = at; i < groups; i += 8, p += w) {
      long v0 = base + step * (BlockFormat.i64(in, p) & mask);
      long v1 = base + step * ((BlockFormat.i64(in, p + o1) >>> s1) & mask);
      long v2 = base + step * ((BlockFormat.i64(in, p + o2) >>> s2) & mask);
      long v3 = base + step * ((BlockFormat.i64(in, p + o3) >>> s3) & mask);
      long v4 = base + step * ((BlockFormat.i64(in, p + o4) >>> s4) & mask);
      long v5 = base + step * ((BlockFormat.i64(in, p + o5) >>> s5) & mask);
      long v6 = base + step * ((BlockFormat.i64(in, p + o6) >>> s6) & mask);
      long v7 = base + step * ((BlockFormat.i64(in, p + o7) >>> s7) & mask);
      acc = store(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, scale, out, outOff + i);
    }
    return acc;
  }

  /**
   * Stores eight integers at {@code out[y ..]} as {@code (float) (v * scale)}, each summed onto the
   * one before and {@code acc} first where {@code running}; returns the sum (or {@code acc}).
   */
  private static long store(long v0, long v1, long v2, long v3, long v4, long v5, long v6, long v7, boolean running,
      long acc, double scale, float[] out, int y) {
    if (running) {
      v0 += acc;
      v1 += v0;
      v2 += v1;
      v3 += v2;
      v4 += v3;
      v5 += v4;
      v6 += v5;
      v7 += v6;
      acc = v7;
    }
    out[y] = (float) (v0 * scale);
    out[y + 1] = (float) (v1 * scale);
    out[y + 2] = (float) (v2 * scale);
    out[y + 3] = (float) (v3 * scale);
    out[y + 4] = (float) (v4 * scale);
    out[y + 5] = (float) (v5 * scale);
    out[y + 6] = (float) (v6 * scale);
    out[y + 7] = (float) (v7 * scale);
    return acc;
  }

  /**
   * Decodes the frame of {@code count} values at {@code in[off]} straight to float32 as raw bits,
   * value i as {@code Float.intBitsToFloat((int) v_i)}, {@code v_i} as in {@link #readScaled}
   * (the running sum from {@code first} on where {@code running}): a frame or a delta of a
   * float's bits (NAB's readings at full precision). Those went through a {@code long[]}
   * ({@link #read}, or {@link BlockKernels}' entries for a delta) and a second pass to sum and
   * convert: NAB's raw-bit deltas of 20-21 bits 1.10-1.14 ns a value that way, 0.82-0.85 this
   * way, its raw-bit frames 1.02-1.06 and 0.75-0.78 (each block alone, best of 150, two runs of
   * each alternated), where a decimal frame takes 0.75. A method of its own beside readScaled,
   * so that neither kind of block recompiles the other's loops. {@code in} needs 8 readable
   * bytes beyond the frame.
   */
  static void readBits(byte[] in, int off, int count, boolean running, long first, float[] out, int outOff) {
    long base = BlockFormat.i64(in, off);
    long step = BlockFormat.i64(in, off + 8);
    int w = in[off + 16] & 0xFF;
    int at = off + HEADER_BYTES;
    long acc = first;
    int i = 0;
    if (w <= 16) {
      long mask = (1L << w) - 1;
      int w2 = 2 * w;
      int w3 = 3 * w;
      int half = w >>> 1;
      int h0 = 4 * (w & 1);
      int h1 = h0 + w;
      int h2 = h0 + w2;
      int h3 = h0 + w3;
      int groups = count & ~7;
      for (int p = at; i < groups; i += 8, p += w) {
        long lo = w == 0 ? 0 : BlockFormat.i64(in, p);
        long hi = w == 0 ? 0 : BlockFormat.i64(in, p + half);
        long v0 = base + step * (lo & mask);
        long v1 = base + step * ((lo >>> w) & mask);
        long v2 = base + step * ((lo >>> w2) & mask);
        long v3 = base + step * ((lo >>> w3) & mask);
        long v4 = base + step * ((hi >>> h0) & mask);
        long v5 = base + step * ((hi >>> h1) & mask);
        long v6 = base + step * ((hi >>> h2) & mask);
        long v7 = base + step * ((hi >>> h3) & mask);
        acc = storeBits(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, out, outOff + i);
      }
    } else if (w <= 28) {
      i = count & ~7;
      acc = readBitsPairs(in, at, i, w, base, step, running, acc, out, outOff);
    } else if (w <= 56) {
      i = count & ~7;
      acc = readBitsWide(in, at, i, w, base, step, running, acc, out, outOff);
    }
    for (; i < count; i++) {
      long v = base + step * code(in, at, i, w);
      if (running) {
        v = acc += v;
      }
      out[outOff + i] = Float.intBitsToFloat((int) v);
    }
  }

  /**
   * {@link #readBits}'s groups of eight codes of 17 to 28 bits, {@code groups} codes in all (a
   * multiple of 8). Codes 2k and 2k + 1 of a group lie in one 64-bit load (a shift of up to 7
   * bits, then 2w of at most 56), so four loads a group where {@link #readBitsWide} makes eight,
   * each with its bounds check, and six offsets and shifts to hold across the loop instead of
   * fourteen (which the compiled eight-load loop kept on the stack and in vector registers).
   * Returns the running sum.
   */
  private static long readBitsPairs(byte[] in, int at, int groups, int w, long base, long step, boolean running, long acc,
      float[] out, int outOff) {
    long mask = -1L >>> (64 - w);
    int o2 = 2 * w >>> 3;
    int o4 = 4 * w >>> 3;
    int o6 = 6 * w >>> 3;
    int s2 = 2 * w & 7;
    int s4 = 4 * w & 7;
    int s6 = 6 * w & 7;
    if (step == 1) {
      // The same loop without the multiply, as in readScaledPairs.
      for (int i = 0, p = at; i < groups; i += 8, p += w) {
        long x0 = BlockFormat.i64(in, p);
        long x2 = BlockFormat.i64(in, p + o2) >>> s2;
        long x4 = BlockFormat.i64(in, p + o4) >>> s4;
        long x6 = BlockFormat.i64(in, p + o6) >>> s6;
        long v0 = base + (x0 & mask);
        long v1 = base + ((x0 >>> w) & mask);
        long v2 = base + (x2 & mask);
        long v3 = base + ((x2 >>> w) & mask);
        long v4 = base + (x4 & mask);
        long v5 = base + ((x4 >>> w) & mask);
        long v6 = base + (x6 & mask);
        long v7 = base + ((x6 >>> w) & mask);
        acc = storeBits(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, out, outOff + i);
      }
      return acc;
    }
    for (int i = 0, p = at; i < groups; i += 8, p += w) {
      long x0 = BlockFormat.i64(in, p);
      long x2 = BlockFormat.i64(in, p + o2) >>> s2;
      long x4 = BlockFormat.i64(in, p + o4) >>> s4;
      long x6 = BlockFormat.i64(in, p + o6) >>> s6;
      long v0 = base + step * (x0 & mask);
      long v1 = base + step * ((x0 >>> w) & mask);
      long v2 = base + step * (x2 & mask);
      long v3 = base + step * ((x2 >>> w) & mask);
      long v4 = base + step * (x4 & mask);
      long v5 = base + step * ((x4 >>> w) & mask);
      long v6 = base + step * (x6 & mask);
      long v7 = base + step * ((x6 >>> w) & mask);
      acc = storeBits(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, out, outOff + i);
    }
    return acc;
  }

  /** {@link #readBits}'s groups of eight codes of 29 to 56 bits, one load each, as {@link #readScaledWide} reads them. */
  private static long readBitsWide(byte[] in, int at, int groups, int w, long base, long step, boolean running, long acc,
      float[] out, int outOff) {
    long mask = -1L >>> (64 - w);
    int o1 = w >>> 3;
    int o2 = 2 * w >>> 3;
    int o3 = 3 * w >>> 3;
    int o4 = 4 * w >>> 3;
    int o5 = 5 * w >>> 3;
    int o6 = 6 * w >>> 3;
    int o7 = 7 * w >>> 3;
    int s1 = w & 7;
    int s2 = 2 * w & 7;
    int s3 = 3 * w & 7;
    int s4 = 4 * w & 7;
    int s5 = 5 * w & 7;
    int s6 = 6 * w & 7;
    int s7 = 7 * w & 7;
    for (int i = 0, p = at; i < groups; i += 8, p += w) {
      long v0 = base + step * (BlockFormat.i64(in, p) & mask);
      long v1 = base + step * ((BlockFormat.i64(in, p + o1) >>> s1) & mask);
      long v2 = base + step * ((BlockFormat.i64(in, p + o2) >>> s2) & mask);
      long v3 = base + step * ((BlockFormat.i64(in, p + o3) >>> s3) & mask);
      long v4 = base + step * ((BlockFormat.i64(in, p + o4) >>> s4) & mask);
      long v5 = base + step * ((BlockFormat.i64(in, p + o5) >>> s5) & mask);
      long v6 = base + step * ((BlockFormat.i64(in, p + o6) >>> s6) & mask);
      long v7 = base + step * ((BlockFormat.i64(in, p + o7) >>> s7) & mask);
      acc = storeBits(v0, v1, v2, v3, v4, v5, v6, v7, running, acc, out, outOff + i);
    }
    return acc;
  }

  /**
   * Stores eight integers at {@code out[y ..]} as the float32 of their low 32 bits, each summed
   * onto the one before and {@code acc} first where {@code running}; returns the sum (or {@code acc}).
   */
  private static long storeBits(long v0, long v1, long v2, long v3, long v4, long v5, long v6, long v7, boolean running,
      long acc, float[] out, int y) {
    if (running) {
      v0 += acc;
      v1 += v0;
      v2 += v1;
      v3 += v2;
      v4 += v3;
      v5 += v4;
      v6 += v5;
      v7 += v6;
      acc = v7;
    }
    out[y] = Float.intBitsToFloat((int) v0);
    out[y + 1] = Float.intBitsToFloat((int) v1);
    out[y + 2] = Float.intBitsToFloat((int) v2);
    out[y + 3] = Float.intBitsToFloat((int) v3);
    out[y + 4] = Float.intBitsToFloat((int) v4);
    out[y + 5] = Float.intBitsToFloat((int) v5);
    out[y + 6] = Float.intBitsToFloat((int) v6);
    out[y + 7] = Float.intBitsToFloat((int) v7);
    return acc;
  }

  /** Code {@code i} of width {@code w} from the codes at {@code in[at]}. */
  private static long code(byte[] in, int at, int i, int w) {
    long bit = (long) i * w;
    if (w <= 56) {
      return (BlockFormat.i64(in, at + (int) (bit >>> 3)) >>> (bit & 7)) & (-1L >>> (64 - w)) & -(long) Math.min(w, 1);
    }
    long lo = (BlockFormat.i64(in, at + (int) (bit >>> 3)) >>> (bit & 7)) & 0xFFFF_FFFFL;
    long hiBit = bit + 32;
    long hi = (BlockFormat.i64(in, at + (int) (hiBit >>> 3)) >>> (hiBit & 7)) & (-1L >>> (64 - (w - 32)));
    return lo | hi << 32;
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
