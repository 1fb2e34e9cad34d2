package io.lazyq.quant;

/**
 * ggml's Q4_1: per 32 values, fp16 {@code d} and {@code m}, then 16 bytes of nibbles laid out as
 * Q4_0's; value = q * d + m.
 */
final class Q4_1Codec extends FixedBlockCodec {
  private final Kernels kernels;

  Q4_1Codec(Kernels kernels) {
    super(QuantType.Q4_1, true);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ4_1(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void encodeBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    kernels.encodeQ4_1(src, srcOff, blocks, dst, dstOff);
  }
}
