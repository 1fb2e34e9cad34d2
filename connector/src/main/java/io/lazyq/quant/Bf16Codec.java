package io.lazyq.quant;

import java.nio.ByteBuffer;

/** bfloat16, converted as ggml converts it ({@link Bf16}). */
final class Bf16Codec extends FixedBlockCodec {
  private final Kernels kernels;

  Bf16Codec(Kernels kernels) {
    super(QuantType.BF16, true);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeBf16(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  boolean decodeInPlace(ByteBuffer region, int at, int blocks, float[] dst, int dstOff) {
    return kernels.decodeInPlace(type, region, at, blocks, dst, dstOff);
  }

  @Override
  void encodeBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    for (int i = 0; i < blocks; i++) {
      LittleEndian.putShort(dst, dstOff + 2 * i, Bf16.fromFloat(src[srcOff + i]));
    }
  }
}
