package io.lazyq.quant;

/**
 * ggml's Q4_K super-block of 256: fp16 {@code d} and {@code dmin}, 12 bytes of 6-bit scales and
 * mins ({@link KScales}), 128 bytes of nibbles; value = d * sc * q - dmin * m, per 32 values.
 */
final class Q4_KCodec extends FixedBlockCodec {
  private final Kernels kernels;

  Q4_KCodec(Kernels kernels) {
    super(QuantType.Q4_K, false);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ4_K(src, srcOff, blocks, dst, dstOff);
  }
}
