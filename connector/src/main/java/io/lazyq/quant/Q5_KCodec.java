package io.lazyq.quant;

/**
 * ggml's Q5_K super-block of 256: fp16 {@code d} and {@code dmin}, 12 bytes of 6-bit scales and
 * mins ({@link KScales}), 32 bytes of fifth bits, 128 bytes of low nibbles;
 * value = d * sc * q - dmin * m, per 32 values.
 */
final class Q5_KCodec extends FixedBlockCodec {
  private final Kernels kernels;

  Q5_KCodec(Kernels kernels) {
    super(QuantType.Q5_K, false);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ5_K(src, srcOff, blocks, dst, dstOff);
  }
}
