package io.lazyq.quant;

/** ggml's Q8_0: per 32 values, an fp16 scale {@code d} and 32 signed bytes; value = q * d. */
final class Q8_0Codec extends FixedBlockCodec {
  Q8_0Codec() {
    super(QuantType.Q8_0, true);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    float[] int8 = ByteFloats.INT8;
    for (int b = 0; b < blocks; b++, srcOff += 34, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      int qs = srcOff + 2;
      for (int j = 0; j < 32; j++) {
        dst[dstOff + j] = int8[src[qs + j] & 0xFF] * d;
      }
    }
  }

  @Override
  void encodeBlock(float[] x, int off, byte[] y, int yOff) {
    float d = GgmlRef.absMax(x, off, 32) / 127f;
    float id = GgmlRef.inverse(d);
    LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
    for (int j = 0; j < 32; j++) {
      y[yOff + 2 + j] = (byte) GgmlRef.roundf(x[off + j] * id);
    }
  }
}
