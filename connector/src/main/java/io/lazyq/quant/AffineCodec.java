package io.lazyq.quant;

import java.util.Arrays;

/**
 * LazyQ's affine sensor types: per block of 64 values, a float32 {@code min}, a float32
 * {@code step} and 64 unsigned codes of 8 bits ({@link QuantType#AFFINE8}) or 4 bits
 * ({@link QuantType#AFFINE4}: value 2k in the low nibble of byte k, 2k + 1 in its high nibble).
 * A value decodes as {@code min + step * q}, in float arithmetic.
 *
 * <p>The encoder takes the block's minimum and maximum, {@code step = (max - min) / (2^bits - 1)},
 * and for each value the code whose decoded float is nearest. Every value then decodes within
 * {@code step / 2} plus float rounding, at most {@code 4 ulp(max(|min|, |max|))}, of its input, as
 * long as {@code max - min} stays below {@code Float.MAX_VALUE}.
 */
final class AffineCodec extends FixedBlockCodec {
  private final int bits;
  private final Kernels kernels;

  AffineCodec(QuantType type, Kernels kernels) {
    super(type, true);
    this.kernels = kernels;
    this.bits = type == QuantType.AFFINE8 ? 8 : 4;
  }

  @Override
  void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    if (bits == 8) {
      kernels.decodeAffine8(src, srcOff, blocks, dst, dstOff);
    } else {
      kernels.decodeAffine4(src, srcOff, blocks, dst, dstOff);
    }
  }

  @Override
  void encodeBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    if (bits == 8) {
      kernels.encodeAffine8(src, srcOff, blocks, dst, dstOff);
    } else {
      kernels.encodeAffine4(src, srcOff, blocks, dst, dstOff);
    }
  }

  /** Repeats the last value, so that padding does not widen the last block's range. */
  @Override
  void padTail(float[] block, int filled) {
    Arrays.fill(block, filled, blockSize, block[filled - 1]);
  }
}
