package io.lazyq.quant;

/**
 * ggml's Q4_1: per 32 values, fp16 {@code d} and {@code m}, then 16 bytes of nibbles laid out as
 * Q4_0's; value = q * d + m.
 */
final class Q4_1Codec extends FixedBlockCodec {
  Q4_1Codec() {
    super(QuantType.Q4_1, true);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    float[] low = ByteFloats.LOW_NIBBLE;
    float[] high = ByteFloats.HIGH_NIBBLE;
    for (int b = 0; b < blocks; b++, srcOff += 20, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float m = half[LittleEndian.u16(src, srcOff + 2)];
      int qs = srcOff + 4;
      for (int j = 0; j < 16; j++) {
        int q = src[qs + j] & 0xFF;
        dst[dstOff + j] = low[q] * d + m;
        dst[dstOff + j + 16] = high[q] * d + m;
      }
    }
  }

  @Override
  void encodeBlock(float[] x, int off, byte[] y, int yOff) {
    float min = GgmlRef.min(x, off, 32);
    float max = GgmlRef.max(x, off, 32);
    float d = (max - min) / 15f;
    float id = GgmlRef.inverse(d);
    LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
    LittleEndian.putShort(y, yOff + 2, Fp16.fromFloat(min));
    for (int j = 0; j < 16; j++) {
      int xi0 = Math.min(15, GgmlRef.toInt8((x[off + j] - min) * id + 0.5f)) & 0xFF;
      int xi1 = Math.min(15, GgmlRef.toInt8((x[off + 16 + j] - min) * id + 0.5f)) & 0xFF;
      y[yOff + 4 + j] = (byte) (xi0 | xi1 << 4);
    }
  }
}
