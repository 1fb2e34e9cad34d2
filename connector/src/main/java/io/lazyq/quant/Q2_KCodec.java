package io.lazyq.quant;

/**
 * ggml's Q2_K super-block of 256: 16 bytes of 4-bit scale and min pairs, 64 bytes of 2-bit codes,
 * then fp16 {@code d} and {@code dmin}; value = d * sc * q - dmin * m, per 16 values.
 */
final class Q2_KCodec extends FixedBlockCodec {
  private final Kernels kernels;

  Q2_KCodec(Kernels kernels) {
    super(QuantType.Q2_K, false);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ2_K(src, srcOff, blocks, dst, dstOff);
  }
}
