package io.lazyq.quant;

/** ggml's Q8_0: per 32 values, an fp16 scale {@code d} and 32 signed bytes; value = q * d. */
final class Q8_0Codec extends FixedBlockCodec {
  /**
   * Each byte's value as a signed int8, in float: the kernel multiplies a table entry by d rather
   * than converting the byte, since JDK 17's C2 compiles the int-to-float conversion to a scalar
   * instruction that costs more than the load ({@code Q8_0Bench}: about a quarter faster). The
   * entries are exact, so the products are ggml's bit for bit.
   */
  private static final float[] INT8 = new float[256];

  static {
    for (int b = 0; b < 256; b++) {
      INT8[b] = (byte) b;
    }
  }
  Q8_0Codec() {
    super(QuantType.Q8_0, true);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    float[] int8 = INT8;
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
