package io.lazyq.quant;

/**
 * ggml's Q5_0: per 32 values, fp16 {@code d}, a little-endian u32 {@code qh} of fifth bits (bit j
 * for value j), and 16 bytes of low nibbles laid out as Q4_0's; value = (q - 16) * d.
 */
final class Q5_0Codec extends FixedBlockCodec {
  private final Kernels kernels;

  Q5_0Codec(Kernels kernels) {
    super(QuantType.Q5_0, true);
    this.kernels = kernels;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    kernels.decodeQ5_0(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void encodeBlock(float[] x, int off, byte[] y, int yOff) {
    float d = GgmlRef.signedAbsMax(x, off, 32) / -16f;
    float id = GgmlRef.inverse(d);
    LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
    int qh = 0;
    for (int j = 0; j < 16; j++) {
      int xi0 = Math.min(31, GgmlRef.toInt8(x[off + j] * id + 16.5f)) & 0xFF;
      int xi1 = Math.min(31, GgmlRef.toInt8(x[off + 16 + j] * id + 16.5f)) & 0xFF;
      y[yOff + 6 + j] = (byte) ((xi0 & 0x0F) | (xi1 & 0x0F) << 4);
      qh |= ((xi0 & 0x10) >>> 4) << j | ((xi1 & 0x10) >>> 4) << (j + 16);
    }
    LittleEndian.putInt(y, yOff + 2, qh);
  }
}
