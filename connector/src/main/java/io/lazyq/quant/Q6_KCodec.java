package io.lazyq.quant;

/**
 * ggml's Q6_K super-block of 256: 128 bytes of low nibbles, 64 bytes of 2-bit high parts, sixteen
 * signed 8-bit scales, then fp16 {@code d}; value = d * sc * (q - 32), per 16 values.
 */
final class Q6_KCodec extends FixedBlockCodec {
  private final Kernels kernels;

  Q6_KCodec(Kernels kernels) {
    super(QuantType.Q6_K, false);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ6_K(src, srcOff, blocks, dst, dstOff);
  }
}
