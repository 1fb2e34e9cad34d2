package io.lazyq.quant;

/**
 * ggml's Q4_K super-block of 256: fp16 {@code d} and {@code dmin}, 12 bytes of 6-bit scales and
 * mins ({@link KScales}), 128 bytes of nibbles; value = d * sc * q - dmin * m, per 32 values.
 */
final class Q4_KCodec extends FixedBlockCodec {
  Q4_KCodec() {
    super(QuantType.Q4_K, false);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int y) {
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
}
