package io.lazyq.quant;

import static io.lazyq.quant.ErrorBoundedCodec.CONSTANT;
import static io.lazyq.quant.ErrorBoundedCodec.MAX_WIDTH;
import static io.lazyq.quant.ErrorBoundedCodec.VERBATIM;

/**
 * Writes one {@link ErrorBoundedCodec} block: the cheapest form that holds every value within the
 * bound, found by trying constant, then quantized, then verbatim, and decoding each try to check it.
 */
final class BoundedBlockEncoder {
  private BoundedBlockEncoder() {}

  /**
   * Encodes {@code x[off, off + m)} into {@code out} (which holds a verbatim block, or {@link BoundedBlockDecoder#readSpan} of any) with bound
   * {@code e}, using {@code check} (at least {@code m} floats) to verify with {@code kernels}; returns the block's size.
   */
  static int encode(Kernels kernels, float[] x, int off, int m, double e, byte[] out, float[] check) {
    float min = x[off];
    float max = x[off];
    for (int i = off + 1; i < off + m; i++) {
      min = Math.min(min, x[i]);
      max = Math.max(max, x[i]);
    }
    double range = (double) max - min;

    if (range <= 2 * e) {
      out[0] = CONSTANT;
      LittleEndian.putFloat(out, 1, (float) (((double) min + max) / 2));
      if (holds(kernels, out, x, off, m, e, check)) {
        return ErrorBoundedCodec.blockBytes(CONSTANT, m);
      }
    }

    // The decoded value is rounded to float, which costs up to half an ulp of the largest value:
    // the step keeps the rest of the bound.
    double room = 2 * e - Math.ulp(Math.max(Math.abs(min), Math.abs(max)));
    float step = floorToFloat(room);
    for (int attempt = 0; attempt < 2 && step > 0f; attempt++, step /= 2) {
      int w = 64 - Long.numberOfLeadingZeros((long) Math.ceil(range / step));
      int size = ErrorBoundedCodec.blockBytes(w, m);
      if (w > MAX_WIDTH || size >= ErrorBoundedCodec.blockBytes(VERBATIM, m)) {
        break;
      }
      out[0] = (byte) w;
      LittleEndian.putFloat(out, 1, min);
      LittleEndian.putFloat(out, 5, step);
      kernels.encodeBounded(x, off, m, min, step, w, out, 9);
      if (holds(kernels, out, x, off, m, e, check)) {
        return size;
      }
    }

    out[0] = (byte) VERBATIM;
    for (int i = 0; i < m; i++) {
      LittleEndian.putFloat(out, 1 + 4 * i, x[off + i]);
    }
    return ErrorBoundedCodec.blockBytes(VERBATIM, m);
  }

  /** Whether the block in {@code out} decodes every value within {@code e}. */
  private static boolean holds(Kernels kernels, byte[] out, float[] x, int off, int m, double e, float[] check) {
    BoundedBlockDecoder.decode(kernels, out, 0, m, check, 0);
    for (int i = 0; i < m; i++) {
      if (!(Math.abs((double) check[i] - x[off + i]) <= e)) {
        return false;
      }
    }
    return true;
  }

  /** The largest float not above {@code v}, or 0 for {@code v <= 0}. */
  private static float floorToFloat(double v) {
    if (!(v > 0)) {
      return 0f;
    }
    float f = (float) v;
    return f > v ? Math.nextDown(f) : f;
  }
}
