package io.lazyq.quant;

/**
 * ggml's Q6_K super-block of 256: 128 bytes of low nibbles, 64 bytes of 2-bit high parts, sixteen
 * signed 8-bit scales, then fp16 {@code d}; value = d * sc * (q - 32), per 16 values.
 */
final class Q6_KCodec extends FixedBlockCodec {
  Q6_KCodec() {
    super(QuantType.Q6_K, false);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int y) {
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
}
