package io.lazyq.quant;

/** ggml's Q8_0: per 32 values, an fp16 scale {@code d} and 32 signed bytes; value = q * d. */
final class Q8_0Codec extends FixedBlockCodec {
  private final Kernels kernels;

  Q8_0Codec(Kernels kernels) {
    super(QuantType.Q8_0, true);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ8_0(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  int encodeFiniteBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    return kernels.encodeQ8_0(src, srcOff, blocks, dst, dstOff);
  }
}
