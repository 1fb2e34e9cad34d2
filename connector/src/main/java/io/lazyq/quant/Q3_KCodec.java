package io.lazyq.quant;

/**
 * ggml's Q3_K super-block of 256: 32 bytes of high bits ({@code hmask}), 64 bytes of 2-bit codes,
 * 12 bytes packing sixteen 6-bit scales, then fp16 {@code d}; value = d * (sc - 32) * (q - 4 * !h).
 */
final class Q3_KCodec extends FixedBlockCodec {
  private final Kernels kernels;

  Q3_KCodec(Kernels kernels) {
    super(QuantType.Q3_K, false);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ3_K(src, srcOff, blocks, dst, dstOff);
  }

  /**
   * Scale j: its low 4 bits are the low (j < 8) or high nibble of byte j % 8, its top 2 bits sit in
   * byte 8 + j % 4 at bit 2 * (j / 4); stored with a bias of 32.
   */
  static void unpackScales(byte[] src, int at, int[] scale) {
    for (int j = 0; j < 16; j++) {
      int low = j < 8 ? src[at + j] & 0xF : (src[at + j - 8] >> 4) & 0xF;
      int high = (src[at + 8 + (j & 3)] >> (2 * (j >> 2))) & 3;
      scale[j] = (low | high << 4) - 32;
    }
  }
}
