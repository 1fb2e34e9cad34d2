package io.lazyq.quant;

/**
 * ggml's Q5_K super-block of 256: fp16 {@code d} and {@code dmin}, 12 bytes of 6-bit scales and
 * mins ({@link KScales}), 32 bytes of fifth bits, 128 bytes of low nibbles;
 * value = d * sc * q - dmin * m, per 32 values.
 */
final class Q5_KCodec extends FixedBlockCodec {
  Q5_KCodec() {
    super(QuantType.Q5_K, false);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int y) {
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
}
