package io.lazyq.quant;

/**
 * ggml's Q3_K super-block of 256: 32 bytes of high bits ({@code hmask}), 64 bytes of 2-bit codes,
 * 12 bytes packing sixteen 6-bit scales, then fp16 {@code d}; value = d * (sc - 32) * (q - 4 * !h).
 */
final class Q3_KCodec extends FixedBlockCodec {
  Q3_KCodec() {
    super(QuantType.Q3_K, false);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    int[] scale = new int[16];
    for (int b = 0; b < blocks; b++, srcOff += 110) {
      float dAll = half[LittleEndian.u16(src, srcOff + 108)];
      int hm = srcOff;
      int q = srcOff + 32;
      unpackScales(src, srcOff + 96, scale);
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

  /**
   * Scale j: its low 4 bits are the low (j < 8) or high nibble of byte j % 8, its top 2 bits sit in
   * byte 8 + j % 4 at bit 2 * (j / 4); stored with a bias of 32.
   */
  private static void unpackScales(byte[] src, int at, int[] scale) {
    for (int j = 0; j < 16; j++) {
      int low = j < 8 ? src[at + j] & 0xF : (src[at + j - 8] >> 4) & 0xF;
      int high = (src[at + 8 + (j & 3)] >> (2 * (j >> 2))) & 3;
      scale[j] = (low | high << 4) - 32;
    }
  }
}
