package io.lazyq.quant;

/** bfloat16, converted as ggml converts it ({@link Bf16}). */
final class Bf16Codec extends FixedBlockCodec {
  Bf16Codec() {
    super(QuantType.BF16, true);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    for (int i = 0; i < blocks; i++) {
      dst[dstOff + i] = Bf16.toFloat(LittleEndian.u16(src, srcOff + 2 * i));
    }
  }

  @Override
  void encodeBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    for (int i = 0; i < blocks; i++) {
      LittleEndian.putShort(dst, dstOff + 2 * i, Bf16.fromFloat(src[srcOff + i]));
    }
  }
}
