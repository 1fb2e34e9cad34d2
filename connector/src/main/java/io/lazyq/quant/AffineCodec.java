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
  private static final int HEADER = 8;

  private final int bits;
  private final int maxCode;
  private final Kernels kernels;

  AffineCodec(QuantType type, Kernels kernels) {
    super(type, true);
    this.kernels = kernels;
    this.bits = type == QuantType.AFFINE8 ? 8 : 4;
    this.maxCode = (1 << bits) - 1;
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
  void encodeBlock(float[] x, int off, byte[] y, int yOff) {
    float min = x[off];
    float max = x[off];
    for (int j = off + 1; j < off + 64; j++) {
      min = Math.min(min, x[j]);
      max = Math.max(max, x[j]);
    }
    float step = (float) (((double) max - min) / maxCode);
    LittleEndian.putFloat(y, yOff, min);
    LittleEndian.putFloat(y, yOff + 4, step);
    int qs = yOff + HEADER;
    for (int j = 0; j < 64; j++) {
      int q = nearestCode(x[off + j], min, step);
      if (bits == 8) {
        y[qs + j] = (byte) q;
      } else if ((j & 1) == 0) {
        y[qs + (j >> 1)] = (byte) q;
      } else {
        y[qs + (j >> 1)] |= (byte) (q << 4);
      }
    }
  }

  /** The code whose decoded float is nearest to {@code v}: rounding in double, then a look at the neighbours. */
  private int nearestCode(float v, float min, float step) {
    if (step == 0f) {
      return 0;
    }
    int guess = (int) Math.max(0, Math.min(maxCode, Math.rint(((double) v - min) / step)));
    int best = guess;
    double bestErr = Math.abs((double) (min + step * guess) - v);
    for (int q = Math.max(0, guess - 1); q <= Math.min(maxCode, guess + 1); q++) {
      double err = Math.abs((double) (min + step * q) - v);
      if (err < bestErr) {
        best = q;
        bestErr = err;
      }
    }
    return best;
  }

  /** Repeats the last value, so that padding does not widen the last block's range. */
  @Override
  void padTail(float[] block, int filled) {
    Arrays.fill(block, filled, blockSize, block[filled - 1]);
  }
}
