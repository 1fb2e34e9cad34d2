package io.lazyq.quant;

/**
 * ggml's Q4_0: per 32 values, an fp16 scale {@code d} and 16 bytes of nibbles (value j in the low
 * nibble of byte j, value j + 16 in its high nibble); value = (q - 8) * d.
 */
final class Q4_0Codec extends FixedBlockCodec {
  private final Kernels kernels;

  Q4_0Codec(Kernels kernels) {
    super(QuantType.Q4_0, true);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ4_0(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  int encodeFiniteBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    return kernels.encodeQ4_0(src, srcOff, blocks, dst, dstOff);
  }
}
