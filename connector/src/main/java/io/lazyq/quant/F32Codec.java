package io.lazyq.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/** Plain little-endian float32: decoding is a bulk copy, and NaN and infinities pass through. */
final class F32Codec extends FixedBlockCodec {
  F32Codec() {
    super(QuantType.F32, true);
  }

  @Override
  public void decode(ByteBuffer region, long first, int count, float[] dst, int dstOff) {
    Objects.checkFromIndexSize(dstOff, count, dst.length);
    Objects.checkFromIndexSize(first, count, region.limit() / 4L);
    // A float view copies with one bulk move, whatever kind of buffer holds the region.
    region.duplicate().order(ByteOrder.LITTLE_ENDIAN).position((int) first * 4).asFloatBuffer()
        .get(dst, dstOff, count);
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    for (int i = 0; i < blocks; i++) {
      dst[dstOff + i] = LittleEndian.f32(src, srcOff + 4 * i);
    }
  }

  @Override
  void encodeBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    for (int i = 0; i < blocks; i++) {
      LittleEndian.putFloat(dst, dstOff + 4 * i, src[srcOff + i]);
    }
  }
}
