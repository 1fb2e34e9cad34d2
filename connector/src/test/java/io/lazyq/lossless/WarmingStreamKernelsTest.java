package io.lazyq.lossless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lazyq.quant.KernelChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which path {@link WarmingStreamKernels} takes: scalar from the first call, with one warming
 * handed to the warming thread (here a queue the test runs), vector once warmed; the same bits as
 * the scalar kernels on both, for each code width and predictor, over ranges of a scan's batch
 * split at blocks. Needs the vector kernels (the connector's vector-kernels test execution).
 */
class WarmingStreamKernelsTest {
  private static final int N = 10_000;

  private final List<Runnable> queued = new ArrayList<>();
  private final StreamKernels scalar = new StreamKernels();
  private WarmingStreamKernels kernels;

  @BeforeEach
  void kernels() {
    StreamKernels vector = KernelChoice.<StreamKernels>vector(() -> "io.lazyq.lossless.VectorStreamKernels").orElse(null);
    assumeTrue(vector != null, "the vector stream kernels do not load in this JVM");
    kernels = new WarmingStreamKernels(scalar, vector, queued::add);
  }

  @Test
  void scalarUntilWarmedOnceThenVectorWithTheSameBits() {
    readAndCompare(1);
    assertEquals(1, queued.size(), "the first call hands one warming to the thread");
    readAndCompare(2);
    assertEquals(1, queued.size(), "warmed once");
    assertFalse(kernels.onVector(), "not warmed before its thread runs");
    queued.get(0).run();
    assertTrue(kernels.onVector(), "the compiled vector stream kernels are faster than the scalar ones");
    for (int seed = 3; seed < 8; seed++) {
      readAndCompare(seed);
    }
    assertEquals(1, queued.size(), "no warming after the first");
  }

  /** Every width and predictor over planes of arbitrary bytes, in ranges of 1024 and an odd tail, against the scalar kernels. */
  private void readAndCompare(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int b = 1; b <= 4; b++) {
      byte[] p = new byte[b * N];
      random.nextBytes(p);
      long base = random.nextInt(2_000_000) - 1_000_000;
      double scale = BlockFormat.INV_POW10[random.nextInt(4)];
      float[] want = new float[N];
      float[] got = new float[N];
      long wantAcc = base;
      long gotAcc = base;
      for (int at = 0; at < N; at += 1024) {
        int count = Math.min(1024, N - at);
        wantAcc = scalar.deltaFloats(p, N, b, at, count, wantAcc, scale, want, at);
        gotAcc = kernels.deltaFloats(p, N, b, at, count, gotAcc, scale, got, at);
        assertEquals(wantAcc, gotAcc, "delta, b " + b + ", the integer after value " + (at + count - 1));
      }
      assertBits(want, got, "delta, b " + b);
      for (int at = 0; at < N; at += 1024) {
        int count = Math.min(1024, N - at);
        scalar.offsetFloats(p, N, b, at, count, base, scale, want, at);
        kernels.offsetFloats(p, N, b, at, count, base, scale, got, at);
      }
      assertBits(want, got, "offset, b " + b);
    }
  }

  private static void assertBits(float[] want, float[] got, String what) {
    for (int i = 0; i < want.length; i++) {
      if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
        throw new AssertionError(what + ", value " + i + ": " + got[i] + " != " + want[i]);
      }
    }
  }
}
