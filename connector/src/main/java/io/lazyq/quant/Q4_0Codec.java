package io.lazyq.quant;

/**
 * ggml's Q4_0: per 32 values, an fp16 scale {@code d} and 16 bytes of nibbles (value j in the low
 * nibble of byte j, value j + 16 in its high nibble); value = (q - 8) * d.
 */
final class Q4_0Codec extends FixedBlockCodec {
  Q4_0Codec() {
    super(QuantType.Q4_0, true);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 18, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      int qs = srcOff + 2;
      for (int j = 0; j < 16; j++) {
        int q = src[qs + j];
        dst[dstOff + j] = ((q & 0x0F) - 8) * d;
        dst[dstOff + j + 16] = (((q >> 4) & 0x0F) - 8) * d;
      }
    }
  }

  @Override
  void encodeBlock(float[] x, int off, byte[] y, int yOff) {
    float d = GgmlRef.signedAbsMax(x, off, 32) / -8f;
    float id = GgmlRef.inverse(d);
    LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
    for (int j = 0; j < 16; j++) {
      int xi0 = Math.min(15, GgmlRef.toInt8(x[off + j] * id + 8.5f)) & 0xFF;
      int xi1 = Math.min(15, GgmlRef.toInt8(x[off + 16 + j] * id + 8.5f)) & 0xFF;
      y[yOff + 2 + j] = (byte) (xi0 | xi1 << 4);
    }
  }
}
