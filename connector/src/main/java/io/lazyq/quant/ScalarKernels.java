package io.lazyq.quant;

/**
 * The kernels in plain Java: the fallback, and the reference the vector kernels must match bit for
 * bit. On JDK 17, C2 vectorises none of these loops (they mix byte and float lanes), so they look
 * each code's float up in a table instead of converting it ({@link ByteFloats}).
 */
class ScalarKernels extends Kernels {
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
}
