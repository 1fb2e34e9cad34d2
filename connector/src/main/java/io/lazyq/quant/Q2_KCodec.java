package io.lazyq.quant;

/**
 * ggml's Q2_K super-block of 256: 16 bytes of 4-bit scale and min pairs, 64 bytes of 2-bit codes,
 * then fp16 {@code d} and {@code dmin}; value = d * sc * q - dmin * m, per 16 values.
 */
final class Q2_KCodec extends FixedBlockCodec {
  Q2_KCodec() {
    super(QuantType.Q2_K, false);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int y) {
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
}
