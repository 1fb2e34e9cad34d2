package io.lazyq.lossless;

import io.lazyq.quant.KernelChoice;
import io.lazyq.quant.KernelWarming;

/**
 * The inner loops of a stream's decoding ({@link RegionStream}, read per batch by
 * {@link StreamCursor}): codes gathered from their byte planes, the predictor undone and the
 * integers scaled to float32, in one pass over a range; for float64 and integer streams, the
 * integers of a range, then (static, scalar only) their float64 values. Planes {@code p} hold {@code n} codes of
 * {@code b} bytes: byte {@code j} of code {@code i} at {@code p[j * n + i]}.
 *
 * <p>This class is the scalar path; {@code VectorStreamKernels} (compiled from the vector source
 * root) gives the same bits with the Vector API. {@link #selected} is chosen as the codecs'
 * kernels are ({@link io.lazyq.quant.KernelChoice}, system property {@code lazyq.kernels}): by
 * default the vector kernels, run on the scalar path until compiled ({@link WarmingStreamKernels}).
 */
class StreamKernels {
  private static final String VECTOR_CLASS = "io.lazyq.lossless.VectorStreamKernels";

  /**
   * The kernels every stream uses: under {@code lazyq.kernels=auto} the vector kernels once
   * compiled, which read a stream 2-5x faster than the scalar ones (0.16-0.22 ns a value under the
   * offset predictor, 0.47-0.56 under delta, against 0.7-1.5).
   */
  static StreamKernels selected() {
    return Selected.KERNELS;
  }

  /**
   * Holds the choice outside this class's initialisation: the vector kernels are a subclass, and
   * one loaded first (a test asks for it by name) would otherwise be built by this class's
   * initialiser before its own static fields are set.
   */
  private static final class Selected {
    static final StreamKernels KERNELS = KernelChoice.select("stream", StreamKernels::new, () -> VECTOR_CLASS,
        (scalar, vector) -> new WarmingStreamKernels(scalar, vector, KernelWarming.daemonThread()));
  }

  /** The path, for the log. */
  @Override
  public String toString() {
    return "scalar";
  }

  /**
   * Values {@code [from, from + count)} under the delta predictor into {@code dst[off ..]}: {@code acc}
   * is integer {@code from - 1} (the base for 0); value {@code (float) (N * scale)}. Returns integer
   * {@code from + count - 1}.
   */
  long deltaFloats(byte[] p, int n, int b, int from, int count, long acc, double scale, float[] dst, int off) {
    int n2 = 2 * n;
    int n3 = 3 * n;
    switch (b) {
      case 1:
        for (int k = 0, i = from; k < count; k++, i++) {
          int z = p[i] & 0xFF;
          acc += (z >>> 1) ^ -(z & 1);
          dst[off + k] = (float) (acc * scale);
        }
        return acc;
      case 2:
        for (int k = 0, i = from; k < count; k++, i++) {
          int z = (p[i] & 0xFF) | (p[n + i] & 0xFF) << 8;
          acc += (z >>> 1) ^ -(z & 1);
          dst[off + k] = (float) (acc * scale);
        }
        return acc;
      case 3:
        for (int k = 0, i = from; k < count; k++, i++) {
          int z = (p[i] & 0xFF) | (p[n + i] & 0xFF) << 8 | (p[n2 + i] & 0xFF) << 16;
          acc += (z >>> 1) ^ -(z & 1);
          dst[off + k] = (float) (acc * scale);
        }
        return acc;
      case 4:
        // A 32-bit zigzag code undone in int arithmetic is the signed 32-bit difference.
        for (int k = 0, i = from; k < count; k++, i++) {
          int z = (p[i] & 0xFF) | (p[n + i] & 0xFF) << 8 | (p[n2 + i] & 0xFF) << 16 | p[n3 + i] << 24;
          acc += (z >>> 1) ^ -(z & 1);
          dst[off + k] = (float) (acc * scale);
        }
        return acc;
      default: {
        long[] tile = new long[Math.min(count, TILE)];
        for (int at = 0; at < count; at += tile.length) {
          int m = Math.min(tile.length, count - at);
          acc = deltaLongs(p, n, b, from + at, m, acc, tile, 0);
          for (int k = 0; k < m; k++) {
            dst[off + at + k] = (float) (tile[k] * scale);
          }
        }
        return acc;
      }
    }
  }

  /** Values {@code [from, from + count)} under the offset predictor ({@code N = base + c}) into {@code dst[off ..]}. */
  void offsetFloats(byte[] p, int n, int b, int from, int count, long base, double scale, float[] dst, int off) {
    int n2 = 2 * n;
    int n3 = 3 * n;
    switch (b) {
      case 1:
        for (int k = 0, i = from; k < count; k++, i++) {
          dst[off + k] = (float) ((base + (p[i] & 0xFF)) * scale);
        }
        return;
      case 2:
        for (int k = 0, i = from; k < count; k++, i++) {
          dst[off + k] = (float) ((base + ((p[i] & 0xFF) | (p[n + i] & 0xFF) << 8)) * scale);
        }
        return;
      case 3:
        for (int k = 0, i = from; k < count; k++, i++) {
          dst[off + k] = (float) ((base + ((p[i] & 0xFF) | (p[n + i] & 0xFF) << 8 | (p[n2 + i] & 0xFF) << 16)) * scale);
        }
        return;
      case 4:
        for (int k = 0, i = from; k < count; k++, i++) {
          long c = ((p[i] & 0xFF) | (p[n + i] & 0xFF) << 8 | (p[n2 + i] & 0xFF) << 16 | p[n3 + i] << 24) & 0xFFFF_FFFFL;
          dst[off + k] = (float) ((base + c) * scale);
        }
        return;
      default: {
        long[] tile = new long[Math.min(count, TILE)];
        for (int at = 0; at < count; at += tile.length) {
          int m = Math.min(tile.length, count - at);
          offsetLongs(p, n, b, from + at, m, base, tile, 0);
          for (int k = 0; k < m; k++) {
            dst[off + at + k] = (float) (tile[k] * scale);
          }
        }
      }
    }
  }

  /** Integers {@code [from, from + count)} under the delta predictor, as {@link #deltaFloats}, unscaled. */
  static long deltaLongs(byte[] p, int n, int b, int from, int count, long acc, long[] dst, int off) {
    if (b == 2) {
      // The width of most streams of the real data, gathered as deltaFloats gathers it.
      for (int k = 0, i = from; k < count; k++, i++) {
        int z = (p[i] & 0xFF) | (p[n + i] & 0xFF) << 8;
        acc += (z >>> 1) ^ -(z & 1);
        dst[off + k] = acc;
      }
      return acc;
    }
    if (b == 3) {
      for (int k = 0, i = from, n2 = 2 * n; k < count; k++, i++) {
        int z = (p[i] & 0xFF) | (p[n + i] & 0xFF) << 8 | (p[n2 + i] & 0xFF) << 16;
        acc += (z >>> 1) ^ -(z & 1);
        dst[off + k] = acc;
      }
      return acc;
    }
    for (int k = 0, i = from; k < count; k++, i++) {
      long z = code(p, n, b, i);
      acc += (z >>> 1) ^ -(z & 1);
      dst[off + k] = acc;
    }
    return acc;
  }

  /** Integers {@code [from, from + count)} under the offset predictor, unscaled. */
  static void offsetLongs(byte[] p, int n, int b, int from, int count, long base, long[] dst, int off) {
    switch (b) {
      case 1:
        for (int k = 0, i = from; k < count; k++, i++) {
          dst[off + k] = base + (p[i] & 0xFF);
        }
        return;
      case 2:
        for (int k = 0, i = from; k < count; k++, i++) {
          dst[off + k] = base + ((p[i] & 0xFF) | (p[n + i] & 0xFF) << 8);
        }
        return;
      case 3:
        for (int k = 0, i = from, n2 = 2 * n; k < count; k++, i++) {
          dst[off + k] = base + ((p[i] & 0xFF) | (p[n + i] & 0xFF) << 8 | (p[n2 + i] & 0xFF) << 16);
        }
        return;
      default:
        for (int k = 0, i = from; k < count; k++, i++) {
          dst[off + k] = base + code(p, n, b, i);
        }
    }
  }

  /** A float64 decimal stream's values: integer {@code N} over {@code 10^e}, rounded once. */
  static void divide(long[] ints, int count, double divisor, double[] dst, int off) {
    for (int k = 0; k < count; k++) {
      dst[off + k] = ints[k] / divisor;
    }
  }

  /** A float64 quantized stream's values: code {@code N} times the step. */
  static void multiply(long[] ints, int count, double step, double[] dst, int off) {
    for (int k = 0; k < count; k++) {
      dst[off + k] = ints[k] * step;
    }
  }

  /** Integer {@code from + count - 1} under the delta predictor, from integer {@code from - 1}: a seek. */
  static long deltaSum(byte[] p, int n, int b, int from, int count, long acc) {
    for (int i = from, end = from + count; i < end; i++) {
      long z = code(p, n, b, i);
      acc += (z >>> 1) ^ -(z & 1);
    }
    return acc;
  }

  private static long code(byte[] p, int n, int b, int i) {
    long c = 0;
    for (int j = b - 1, at = j * n + i; j >= 0; j--, at -= n) {
      c = c << 8 | (p[at] & 0xFF);
    }
    return c;
  }

  /** Codes per pass of the wide (5 to 8 byte) paths, whose scratch stays in the first-level cache. */
  private static final int TILE = 1024;
}
