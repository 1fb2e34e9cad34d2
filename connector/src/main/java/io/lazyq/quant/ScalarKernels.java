package io.lazyq.quant;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The kernels in plain Java: the fallback, and the reference the vector kernels must match bit for
 * bit. On JDK 17, C2 vectorises none of these loops (they mix byte and float lanes), so they look
 * each code's float up in a table instead of converting it ({@link ByteFloats}).
 */
class ScalarKernels extends Kernels {
  /**
   * Whether {@link Math#fma} compiles to one instruction here. Where it does not (no FMA unit, or
   * a JVM other than HotSpot), it is computed with BigDecimal, far slower than a multiply and an add.
   */
  private static final boolean FAST_FMA = hotSpotUsesFma();

  private static boolean hotSpotUsesFma() {
    try {
      return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("UseFMA").getValue());
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @Override
  String describe() {
    return "scalar";
  }

  @Override
  void decodeQ8_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    float[] int8 = ByteFloats.INT8;
    for (int b = 0; b < blocks; b++, srcOff += 34, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      int qs = srcOff + 2;
      for (int j = 0; j < 32; j++) {
        dst[dstOff + j] = int8[src[qs + j] & 0xFF] * d;
      }
    }
  }

  @Override
  void decodeQ4_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 18, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      int qs = srcOff + 2;
      for (int j = 0; j < 16; j++) {
        int q = src[qs + j];
        dst[dstOff + j] = ((q & 0x0F) - 8) * d;
        dst[dstOff + j + 16] = (((q >> 4) & 0x0F) - 8) * d;
      }
    }
  }

  @Override
  void decodeQ4_1(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    float[] low = ByteFloats.LOW_NIBBLE;
    float[] high = ByteFloats.HIGH_NIBBLE;
    for (int b = 0; b < blocks; b++, srcOff += 20, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float m = half[LittleEndian.u16(src, srcOff + 2)];
      int qs = srcOff + 4;
      for (int j = 0; j < 16; j++) {
        int q = src[qs + j] & 0xFF;
        dst[dstOff + j] = low[q] * d + m;
        dst[dstOff + j + 16] = high[q] * d + m;
      }
    }
  }

  @Override
  void decodeQ5_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 22, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      int qh = LittleEndian.i32(src, srcOff + 2);
      int qs = srcOff + 6;
      for (int j = 0; j < 16; j++) {
        int q = src[qs + j];
        int x0 = ((q & 0x0F) | ((qh >>> j) << 4) & 0x10) - 16;
        int x1 = (((q >> 4) & 0x0F) | (qh >>> (j + 12)) & 0x10) - 16;
        dst[dstOff + j] = x0 * d;
        dst[dstOff + j + 16] = x1 * d;
      }
    }
  }

  @Override
  void decodeQ5_1(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 24, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float m = half[LittleEndian.u16(src, srcOff + 2)];
      int qh = LittleEndian.i32(src, srcOff + 4);
      int qs = srcOff + 8;
      for (int j = 0; j < 16; j++) {
        int q = src[qs + j];
        int x0 = (q & 0x0F) | ((qh >>> j) << 4) & 0x10;
        int x1 = ((q >> 4) & 0x0F) | (qh >>> (j + 12)) & 0x10;
        dst[dstOff + j] = x0 * d + m;
        dst[dstOff + j + 16] = x1 * d + m;
      }
    }
  }

  @Override
  void decodeQ4_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    int[] scale = new int[8];
    int[] mins = new int[8];
    float[] low = ByteFloats.LOW_NIBBLE;
    float[] high = ByteFloats.HIGH_NIBBLE;
    for (int b = 0; b < blocks; b++, srcOff += 144) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float min = half[LittleEndian.u16(src, srcOff + 2)];
      KScales.unpack(src, srcOff + 4, scale, mins);
      int q = srcOff + 16;
      for (int is = 0; is < 8; is += 2, q += 32, y += 64) {
        float d1 = d * scale[is];
        float m1 = min * mins[is];
        float d2 = d * scale[is + 1];
        float m2 = min * mins[is + 1];
        for (int l = 0; l < 32; l++) {
          dst[y + l] = d1 * low[src[q + l] & 0xFF] - m1;
        }
        for (int l = 0; l < 32; l++) {
          dst[y + 32 + l] = d2 * high[src[q + l] & 0xFF] - m2;
        }
      }
    }
  }

  @Override
  void decodeQ5_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    int[] scale = new int[8];
    int[] mins = new int[8];
    for (int b = 0; b < blocks; b++, srcOff += 176) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float min = half[LittleEndian.u16(src, srcOff + 2)];
      KScales.unpack(src, srcOff + 4, scale, mins);
      int qh = srcOff + 16;
      int ql = srcOff + 48;
      int bit = 0;
      for (int is = 0; is < 8; is += 2, ql += 32, y += 64, bit += 2) {
        float d1 = d * scale[is];
        float m1 = min * mins[is];
        float d2 = d * scale[is + 1];
        float m2 = min * mins[is + 1];
        for (int l = 0; l < 32; l++) {
          int v = (src[ql + l] & 0xF) | ((src[qh + l] >> bit) & 1) << 4;
          dst[y + l] = d1 * v - m1;
        }
        for (int l = 0; l < 32; l++) {
          int v = ((src[ql + l] >> 4) & 0xF) | ((src[qh + l] >> (bit + 1)) & 1) << 4;
          dst[y + 32 + l] = d2 * v - m2;
        }
      }
    }
  }

  @Override
  void decodeQ2_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 84) {
      float d = half[LittleEndian.u16(src, srcOff + 80)];
      float min = half[LittleEndian.u16(src, srcOff + 82)];
      int scales = srcOff;
      int q = srcOff + 16;
      for (int n = 0; n < 256; n += 128, q += 32) {
        for (int shift = 0; shift < 8; shift += 2) {
          for (int half16 = 0; half16 < 32; half16 += 16) {
            int sc = src[scales++] & 0xFF;
            float dl = d * (sc & 0xF);
            float ml = min * (sc >>> 4);
            for (int l = 0; l < 16; l++) {
              dst[y++] = dl * ((src[q + half16 + l] >> shift) & 3) - ml;
            }
          }
        }
      }
    }
  }

  @Override
  void decodeQ3_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    int[] scale = new int[16];
    for (int b = 0; b < blocks; b++, srcOff += 110) {
      float dAll = half[LittleEndian.u16(src, srcOff + 108)];
      int hm = srcOff;
      int q = srcOff + 32;
      Q3_KCodec.unpackScales(src, srcOff + 96, scale);
      int is = 0;
      int bit = 0;
      for (int n = 0; n < 256; n += 128, q += 32) {
        for (int shift = 0; shift < 8; shift += 2, bit++) {
          for (int half16 = 0; half16 < 32; half16 += 16) {
            float dl = dAll * scale[is++];
            for (int l = 0; l < 16; l++) {
              int k = half16 + l;
              // q - 4 unless the high bit is set: the same integer as ggml's, without a branch.
              int v = ((src[q + k] >> shift) & 3) - 4 + (((src[hm + k] >> bit) & 1) << 2);
              dst[y++] = dl * v;
            }
          }
        }
      }
    }
  }

  @Override
  void decodeQ6_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 210) {
      float d = half[LittleEndian.u16(src, srcOff + 208)];
      int ql = srcOff;
      int qh = srcOff + 128;
      int sc = srcOff + 192;
      for (int n = 0; n < 256; n += 128, ql += 64, qh += 32, sc += 8, y += 128) {
        for (int l = 0; l < 32; l++) {
          int is = l >> 4;
          int lo = src[ql + l];
          int lo2 = src[ql + l + 32];
          int hi = src[qh + l];
          int q1 = ((lo & 0xF) | (hi & 3) << 4) - 32;
          int q2 = ((lo2 & 0xF) | ((hi >> 2) & 3) << 4) - 32;
          int q3 = ((lo >> 4 & 0xF) | ((hi >> 4) & 3) << 4) - 32;
          int q4 = ((lo2 >> 4 & 0xF) | ((hi >> 6) & 3) << 4) - 32;
          // ggml multiplies d by the scale first, then by the code: the order fixes the rounding.
          dst[y + l] = d * src[sc + is] * q1;
          dst[y + l + 32] = d * src[sc + is + 2] * q2;
          dst[y + l + 64] = d * src[sc + is + 4] * q3;
          dst[y + l + 96] = d * src[sc + is + 6] * q4;
        }
      }
    }
  }

  @Override
  void decodeF16(byte[] src, int srcOff, int n, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int i = 0; i < n; i++) {
      dst[dstOff + i] = half[LittleEndian.u16(src, srcOff + 2 * i)];
    }
  }

  @Override
  void decodeBf16(byte[] src, int srcOff, int n, float[] dst, int dstOff) {
    for (int i = 0; i < n; i++) {
      dst[dstOff + i] = Bf16.toFloat(LittleEndian.u16(src, srcOff + 2 * i));
    }
  }

  @Override
  void decodeAffine8(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    for (int b = 0; b < blocks; b++, srcOff += 72, dstOff += 64) {
      float min = LittleEndian.f32(src, srcOff);
      float step = LittleEndian.f32(src, srcOff + 4);
      int qs = srcOff + 8;
      for (int j = 0; j < 64; j++) {
        dst[dstOff + j] = min + step * (src[qs + j] & 0xFF);
      }
    }
  }

  @Override
  void decodeAffine4(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] low = ByteFloats.LOW_NIBBLE;
    float[] high = ByteFloats.HIGH_NIBBLE;
    for (int b = 0; b < blocks; b++, srcOff += 40, dstOff += 64) {
      float min = LittleEndian.f32(src, srcOff);
      float step = LittleEndian.f32(src, srcOff + 4);
      int qs = srcOff + 8;
      for (int k = 0; k < 32; k++) {
        int q = src[qs + k] & 0xFF;
        dst[dstOff + 2 * k] = min + step * low[q];
        dst[dstOff + 2 * k + 1] = min + step * high[q];
      }
    }
  }

  @Override
  int encodeQ8_0(float[] x, int off, int blocks, byte[] y, int yOff) {
    int bad = firstNonFinite(x, off, 32 * blocks);
    if (bad >= 0) {
      return bad / 32;
    }
    for (int b = 0; b < blocks; b++, off += 32, yOff += 34) {
      float d = GgmlRef.absMax(x, off, 32) / 127f;
      float id = GgmlRef.inverse(d);
      LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
      for (int j = 0; j < 32; j++) {
        y[yOff + 2 + j] = (byte) GgmlRef.roundf(x[off + j] * id);
      }
    }
    return -1;
  }

  @Override
  int encodeQ4_0(float[] x, int off, int blocks, byte[] y, int yOff) {
    int bad = firstNonFinite(x, off, 32 * blocks);
    if (bad >= 0) {
      return bad / 32;
    }
    for (int b = 0; b < blocks; b++, off += 32, yOff += 18) {
      float d = GgmlRef.signedAbsMax(x, off, 32) / -8f;
      float id = GgmlRef.inverse(d);
      LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
      for (int j = 0; j < 16; j++) {
        int xi0 = Math.min(15, GgmlRef.toInt8(x[off + j] * id + 8.5f)) & 0xFF;
        int xi1 = Math.min(15, GgmlRef.toInt8(x[off + 16 + j] * id + 8.5f)) & 0xFF;
        y[yOff + 2 + j] = (byte) (xi0 | xi1 << 4);
      }
    }
    return -1;
  }

  @Override
  void encodeQ4_1(float[] x, int off, int blocks, byte[] y, int yOff) {
    for (int b = 0; b < blocks; b++, off += 32, yOff += 20) {
      float min = GgmlRef.min(x, off, 32);
      float max = GgmlRef.max(x, off, 32);
      float d = (max - min) / 15f;
      float id = GgmlRef.inverse(d);
      LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
      LittleEndian.putShort(y, yOff + 2, Fp16.fromFloat(min));
      for (int j = 0; j < 16; j++) {
        int xi0 = Math.min(15, GgmlRef.toInt8((x[off + j] - min) * id + 0.5f)) & 0xFF;
        int xi1 = Math.min(15, GgmlRef.toInt8((x[off + 16 + j] - min) * id + 0.5f)) & 0xFF;
        y[yOff + 4 + j] = (byte) (xi0 | xi1 << 4);
      }
    }
  }

  /**
   * Codes are unpacked eight at a time. Eight codes of {@code w} bits fill exactly {@code w} bytes,
   * so each group starts on a byte; its first four codes sit in the 64-bit little-endian word at
   * the group's start and its last four in the word {@code w / 2} bytes further on, so two loads
   * and eight constant-per-block shifts replace a bit reader's per-value refills and branches.
   */
  @Override
  void decodeBounded(byte[] b, int at, int m, float[] dst, int dstOff) {
    int w = b[at];
    double base = LittleEndian.f32(b, at + 1);
    double step = LittleEndian.f32(b, at + 5);
    long mask = (1L << w) - 1;
    int w2 = 2 * w;
    int w3 = 3 * w;
    // The second word starts at bit 4w, rounded down to a byte: w / 2 bytes in, 4 bits more for odd w.
    int half = w >>> 1;
    int h0 = 4 * (w & 1);
    int h1 = h0 + w;
    int h2 = h0 + w2;
    int h3 = h0 + w3;
    int p = at + 9;
    for (int i = 0; i < m; i += 8, p += w) {
      long lo = LittleEndian.i64(b, p);
      long hi = LittleEndian.i64(b, p + half);
      int y = dstOff + i;
      dst[y] = boundedValue(base, step, lo & mask);
      dst[y + 1] = boundedValue(base, step, (lo >>> w) & mask);
      dst[y + 2] = boundedValue(base, step, (lo >>> w2) & mask);
      dst[y + 3] = boundedValue(base, step, (lo >>> w3) & mask);
      dst[y + 4] = boundedValue(base, step, (hi >>> h0) & mask);
      dst[y + 5] = boundedValue(base, step, (hi >>> h1) & mask);
      dst[y + 6] = boundedValue(base, step, (hi >>> h2) & mask);
      dst[y + 7] = boundedValue(base, step, (hi >>> h3) & mask);
    }
  }

  /**
   * Value {@code q} of an error-bounded block, {@code (float) (base + step * q)} in double as the
   * format defines it. {@code step * q} is exact in double (24 + 16 significant bits), so a fused
   * multiply-add, one instruction where the product and sum are two, rounds exactly as the sum does.
   */
  private static float boundedValue(double base, double step, long q) {
    return (float) (FAST_FMA ? Math.fma(step, q, base) : base + step * q);
  }

  @Override
  void encodeBounded(float[] x, int off, int m, float base, float step, int w, byte[] out, int at) {
    int maxCode = (1 << w) - 1;
    long acc = 0;
    int bitsHeld = 0;
    int next = at;
    for (int i = 0; i < m; i++) {
      acc |= (long) nearestBoundedCode(x[off + i], base, step, maxCode) << bitsHeld;
      bitsHeld += w;
      while (bitsHeld >= 8) {
        out[next++] = (byte) acc;
        acc >>>= 8;
        bitsHeld -= 8;
      }
    }
    if (bitsHeld > 0) {
      out[next] = (byte) acc;
    }
  }

  /**
   * The error-bounded code whose decoded float is nearest to {@code v}: rounding, then a look at
   * the neighbours, the lowest code winning a tie.
   */
  static int nearestBoundedCode(float v, float base, float step, int maxCode) {
    double guess = Math.rint(((double) v - base) / step);
    int q0 = (int) Math.max(0, Math.min(maxCode, guess));
    int best = q0;
    double bestErr = Double.POSITIVE_INFINITY;
    for (int q = Math.max(0, q0 - 1); q <= Math.min(maxCode, q0 + 1); q++) {
      double err = Math.abs((double) (float) ((double) base + (double) step * q) - v);
      if (err < bestErr) {
        best = q;
        bestErr = err;
      }
    }
    return best;
  }

  @Override
  void encodeAffine8(float[] x, int off, int blocks, byte[] y, int yOff) {
    for (int b = 0; b < blocks; b++, off += 64, yOff += 72) {
      float step = affineHeader(x, off, 255, y, yOff);
      float min = LittleEndian.f32(y, yOff);
      for (int j = 0; j < 64; j++) {
        y[yOff + 8 + j] = (byte) nearestAffineCode(x[off + j], min, step, 255);
      }
    }
  }

  /** Value 2k in the low nibble of byte k, 2k + 1 in its high nibble. */
  @Override
  void encodeAffine4(float[] x, int off, int blocks, byte[] y, int yOff) {
    for (int b = 0; b < blocks; b++, off += 64, yOff += 40) {
      float step = affineHeader(x, off, 15, y, yOff);
      float min = LittleEndian.f32(y, yOff);
      for (int k = 0; k < 32; k++) {
        int lo = nearestAffineCode(x[off + 2 * k], min, step, 15);
        int hi = nearestAffineCode(x[off + 2 * k + 1], min, step, 15);
        y[yOff + 8 + k] = (byte) (lo | hi << 4);
      }
    }
  }

  /**
   * Writes an affine block's {@code min} and {@code step} at {@code y[yOff]}, from its 64 values'
   * minimum and maximum ({@link Math#min}, {@link Math#max}: -0.0 below 0.0), and returns the step.
   */
  static float affineHeader(float[] x, int off, int maxCode, byte[] y, int yOff) {
    float min = x[off];
    float max = x[off];
    for (int j = off + 1; j < off + 64; j++) {
      min = Math.min(min, x[j]);
      max = Math.max(max, x[j]);
    }
    return affineHeader(min, max, maxCode, y, yOff);
  }

  /** As {@link #affineHeader(float[], int, int, byte[], int)}, the block's minimum and maximum found. */
  static float affineHeader(float min, float max, int maxCode, byte[] y, int yOff) {
    float step = (float) (((double) max - min) / maxCode);
    LittleEndian.putFloat(y, yOff, min);
    LittleEndian.putFloat(y, yOff + 4, step);
    return step;
  }

  /**
   * The affine code whose decoded float is nearest to {@code v}: rounding in double, then a look at
   * the neighbours, the lowest code winning a tie but for the rounded one.
   */
  static int nearestAffineCode(float v, float min, float step, int maxCode) {
    if (step == 0f) {
      return 0;
    }
    int guess = (int) Math.max(0, Math.min(maxCode, Math.rint(((double) v - min) / step)));
    int best = guess;
    double bestErr = Math.abs((double) (min + step * guess) - v);
    for (int q = Math.max(0, guess - 1); q <= Math.min(maxCode, guess + 1); q++) {
      double err = Math.abs((double) (min + step * q) - v);
      if (err < bestErr) {
        best = q;
        bestErr = err;
      }
    }
    return best;
  }
}

