package io.lazyq.quant;

import static jdk.incubator.vector.VectorOperators.F2I;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * The vector kernels for JDKs whose C2 compiles the Vector API's float-to-int conversion to SIMD
 * (JDK-8277793, for AVX2 and AVX-512; on JDK 17 it runs the Java fallback, about 300 ns per 16
 * lanes). {@link Kernels} loads this class from JDK 19, where {@link BufferVectorKernels} is not
 * loaded. Only APIs of JDK 17's incubator module are called, so the class compiles with the others.
 *
 * <p>The q8_0 encoder rounds with that conversion: 4 operations per lane where the rounding on sign
 * bits takes 11. On JDK 25 (CPU time, 2^18 values per call, alternating with the other kernels in
 * one JVM) 22.8 GB/s against 19.2 for {@link VectorKernels}' rounding.
 */
final class ConvertingVectorKernels extends VectorKernels {
  /** The float below 0.5, {@code 0.5 - 2^-25}. */
  private static final int BELOW_HALF = Float.floatToRawIntBits(0.49999997f);

  @Override
  String describe() {
    return super.describe().replace(")", ", float-to-int conversions)");
  }

  /** {@link VectorKernels#quantize8}'s loop, rounding with {@link #roundHalfAway}. */
  @Override
  boolean quantize8(float[] x, int off, int m, float[] ids, int[] halfBits, byte[] y, int yOff) {
    boolean skipped = false;
    for (int k = 0; k < m; k++) {
      float id = ids[k];
      if (Float.isInfinite(id)) {
        skipped = true;
        continue;
      }
      int xo = off + 32 * k;
      int yo = yOff + 34 * k;
      LittleEndian.putShort(y, yo, (short) halfBits[k]);
      for (int j = 0; j < 32; j += L) {
        bytes(roundHalfAway(FloatVector.fromArray(F, x, xo + j).mul(id))).intoArray(y, yo + 2 + j);
      }
    }
    return skipped;
  }

  /**
   * {@link GgmlRef#roundf} of the products here (below 256 in magnitude once the inverse scale is
   * finite): {@code v + copysign(0.5 - 2^-25, v)} in float, truncated. A tie k + 0.5 sums to
   * k + 1 - 2^-25, which rounds to k + 1, and 0.5 - 2^-25 itself to 1 - 2^-24, below 1, where
   * {@code v + copysign(0.5f, v)} would round it up; {@code RoundingTest} checks every float up
   * to 256 in magnitude.
   */
  static IntVector roundHalfAway(FloatVector v) {
    FloatVector half = v.reinterpretAsInts().and(0x8000_0000).or(BELOW_HALF).reinterpretAsFloats();
    return (IntVector) v.add(half).convert(F2I, 0);
  }
}
