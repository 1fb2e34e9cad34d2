package io.lazyq.quant;

/**
 * ggml's Q5_1: per 32 values, fp16 {@code d} and {@code m}, a u32 of fifth bits and 16 bytes of
 * low nibbles, laid out as Q5_0's; value = q * d + m.
 */
final class Q5_1Codec extends FixedBlockCodec {
  private final Kernels kernels;

  Q5_1Codec(Kernels kernels) {
    super(QuantType.Q5_1, true);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ5_1(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void encodeBlock(float[] x, int off, byte[] y, int yOff) {
    float min = GgmlRef.min(x, off, 32);
    float max = GgmlRef.max(x, off, 32);
    float d = (max - min) / 31f;
    float id = GgmlRef.inverse(d);
    LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
    LittleEndian.putShort(y, yOff + 2, Fp16.fromFloat(min));
    int qh = 0;
    for (int j = 0; j < 16; j++) {
      // ggml casts to uint8_t here, with no clamp to 31.
      int xi0 = (int) ((x[off + j] - min) * id + 0.5f) & 0xFF;
      int xi1 = (int) ((x[off + 16 + j] - min) * id + 0.5f) & 0xFF;
      y[yOff + 8 + j] = (byte) ((xi0 & 0x0F) | (xi1 & 0x0F) << 4);
      qh |= ((xi0 & 0x10) >>> 4) << j | ((xi1 & 0x10) >>> 4) << (j + 16);
    }
    LittleEndian.putInt(y, yOff + 4, qh);
  }
}
