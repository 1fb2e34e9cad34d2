package io.lazyq.lossless;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lazyq.quant.KernelChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The stream kernels, scalar and (where this JVM runs them: {@code --add-modules=jdk.incubator.vector})
 * vector, against a value-by-value computation of the layout, on arbitrary planes, ranges, bases
 * and scales: the same bits on every path.
 */
class StreamKernelsProperties {
  private static final Optional<StreamKernels> VECTOR = KernelChoice.vector(() -> "io.lazyq.lossless.VectorStreamKernels");

  private static List<StreamKernels> paths() {
    List<StreamKernels> all = new ArrayList<>(List.of(new StreamKernels(), StreamKernels.selected()));
    VECTOR.ifPresent(all::add);
    return all;
  }

  @Property(tries = 400)
  void floatsMatchTheLayout(@ForAll @IntRange(min = 1, max = 3000) int n, @ForAll @IntRange(min = 1, max = 8) int b,
      @ForAll long seed, @ForAll("bases") long base, @ForAll("scales") double scale) {
    java.util.Random r = new java.util.Random(seed);
    byte[] p = new byte[n * b + r.nextInt(3) * 16];
    r.nextBytes(p);
    int from = r.nextInt(n);
    int count = r.nextInt(n - from + 1);
    float[] offset = new float[count];
    float[] delta = new float[count];
    long acc = base;
    long[] codes = new long[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < b; j++) {
        codes[i] |= (p[j * n + i] & 0xFFL) << (8 * j);
      }
    }
    for (int i = 0; i < from; i++) {
      acc += (codes[i] >>> 1) ^ -(codes[i] & 1);
    }
    long before = acc;
    for (int k = 0; k < count; k++) {
      long c = codes[from + k];
      offset[k] = (float) ((base + c) * scale);
      acc += (c >>> 1) ^ -(c & 1);
      delta[k] = (float) (acc * scale);
    }
    for (StreamKernels kernels : paths()) {
      float[] got = new float[count + 2];
      kernels.offsetFloats(p, n, b, from, count, base, scale, got, 1);
      assertSame(offset, got, kernels + " offset, b " + b);
      long end = kernels.deltaFloats(p, n, b, from, count, before, scale, got, 1);
      assertSame(delta, got, kernels + " delta, b " + b);
      assertEquals(acc, end, kernels + " the integer after the range");
      assertEquals(acc, StreamKernels.deltaSum(p, n, b, from, count, before), "deltaSum");
    }
  }

  private static void assertSame(float[] want, float[] got, String what) {
    for (int k = 0; k < want.length; k++) {
      if (Float.floatToRawIntBits(want[k]) != Float.floatToRawIntBits(got[k + 1])) {
        throw new AssertionError(what + ", value " + k + ": " + got[k + 1] + " != " + want[k]);
      }
    }
  }

  @Provide
  Arbitrary<Long> bases() {
    return Arbitraries.oneOf(Arbitraries.longs().between(-100_000, 100_000), Arbitraries.longs(),
        Arbitraries.of(0L, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE - (1 << 24), (long) Integer.MAX_VALUE,
            1L << 52, -(1L << 52) + 1, Long.MIN_VALUE, Long.MAX_VALUE));
  }

  @Provide
  Arbitrary<Double> scales() {
    return Arbitraries.oneOf(Arbitraries.integers().between(0, BlockFormat.MAX_EXPONENT).map(e -> BlockFormat.INV_POW10[e]),
        Arbitraries.longs().between(1, 0x7FEF_FFFF_FFFF_FFFFL).map(Double::longBitsToDouble), Arbitraries.of(1.0, 0.1, 1e-3, 3e-7));
  }
}
