package io.lazyq.lossless;

import io.lazyq.quant.KernelWarming;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

/**
 * The vector stream kernels run on the scalar path until they are compiled ({@link KernelWarming}).
 * Forced from their first call ({@code -Dlazyq.kernels=vector}), their first Spark scan of the
 * PM2.5/weather file cost the reading thread 386 CPU ns a row against the scalar kernels' 197
 * ({@code LosslessScanBench}'s first run): the Vector API's fallback, interpreted or compiled by
 * C1, ran the first batches until C2 had compiled the kernels. Warming calls every shape a stream
 * can take (codes of 1 to 4 bytes, either predictor, ranges of whole vectors, with a tail and
 * shorter than a vector, integers beyond the vector paths' reach) on synthetic planes.
 */
final class WarmingStreamKernels extends StreamKernels {
  /**
   * Codes per plane of the synthetic input: a few vectors a call, since the fallback's cost grows
   * with them while C2's thresholds count calls and loop iterations alike (calls of a scan's 1024
   * values left the kernels in the fallback for the whole 2 s of the warming's CPU time on a
   * loaded machine).
   */
  private static final int N = 32;
  /** Planes of codes of {@code b} bytes at {@code [b]}, of exactly {@code b * N} bytes, the least a stream's may be. */
  private static final byte[][] PLANES = new byte[5][];
  private static final float[] DST = new float[N];
  /**
   * Ranges {@code {from, count}}: whole vectors, vectors and a scalar tail at the planes' end, and
   * fewer values than a vector.
   */
  private static final int[][] RANGES = {{0, N / 2}, {N / 2 - 3, N / 2 + 3}, {N - 3, 3}};

  static {
    SplittableRandom random = new SplittableRandom(N);
    for (int b = 1; b < PLANES.length; b++) {
      PLANES[b] = new byte[b * N];
      random.nextBytes(PLANES[b]);
    }
  }

  private final StreamKernels scalar;
  private final StreamKernels vector;
  private final Executor warmer;
  private final KernelWarming<StreamKernels> warming = new KernelWarming<>("stream", WarmingStreamKernels::exercise);

  /**
   * @param warmer runs the warming, once, off the caller's thread
   */
  WarmingStreamKernels(StreamKernels scalar, StreamKernels vector, Executor warmer) {
    this.scalar = scalar;
    this.vector = vector;
    this.warmer = warmer;
  }

  @Override
  public String toString() {
    return vector + ", scalar until compiled";
  }

  /** Whether the vector kernels run now. */
  boolean onVector() {
    return warming.onVector();
  }

  @Override
  long deltaFloats(byte[] p, int n, int b, int from, int count, long acc, double scale, float[] dst, int off) {
    return warming.pick(scalar, vector, warmer).deltaFloats(p, n, b, from, count, acc, scale, dst, off);
  }

  @Override
  void offsetFloats(byte[] p, int n, int b, int from, int count, long base, double scale, float[] dst, int off) {
    warming.pick(scalar, vector, warmer).offsetFloats(p, n, b, from, count, base, scale, dst, off);
  }

  /** Every shape of a call: each code width, both predictors, each kind of range. */
  private static void exercise(StreamKernels k) {
    for (int b = 1; b <= 4; b++) {
      for (int[] r : RANGES) {
        k.offsetFloats(PLANES[b], N, b, r[0], r[1], -3, 0.1, DST, 0);
        k.deltaFloats(PLANES[b], N, b, r[0], r[1], 5, 0.01, DST, 0);
      }
    }
    // Integers a vector lane cannot hold, which the vector kernels hand to the scalar path.
    k.offsetFloats(PLANES[2], N, 2, 0, N / 2, 1L << 40, 1e-9, DST, 0);
    k.deltaFloats(PLANES[2], N, 2, 0, N / 2, 1L << 60, 1e-9, DST, 0);
  }
}
