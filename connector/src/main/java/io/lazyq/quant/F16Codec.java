package io.lazyq.quant;

/** IEEE half precision, converted as ggml converts it ({@link Fp16}). */
final class F16Codec extends FixedBlockCodec {
  F16Codec() {
    super(QuantType.F16, true);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int i = 0; i < blocks; i++) {
      dst[dstOff + i] = half[LittleEndian.u16(src, srcOff + 2 * i)];
    }
  }

  @Override
  void encodeBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    for (int i = 0; i < blocks; i++) {
      LittleEndian.putShort(dst, dstOff + 2 * i, Fp16.fromFloat(src[srcOff + i]));
    }
  }
}
