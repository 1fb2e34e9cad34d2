package io.lazyq.quant;

/**
 * The scalar steps that ggml's {@code quantize_row_*_ref} functions share, with C's semantics
 * where they differ from Java's, so that encoders produce ggml's bytes.
 */
final class GgmlRef {
  private GgmlRef() {}

  /** C's {@code roundf}: half away from zero ({@link Math#round} rounds -2.5 to -2). */
  static int roundf(float x) {
    // In double, |x| + 0.5 is exact, so 0.49999997f does not round up to 1 as it would in float.
    int r = (int) (Math.abs((double) x) + 0.5);
    return x < 0 ? -r : r;
  }

  /** C's {@code (int8_t) f} as gcc compiles it: truncate to int, keep the low byte. */
  static int toInt8(float f) {
    return (byte) (int) f;
  }

  /** The value of largest magnitude, with its sign; the first one on ties; 0 for an all-zero block. */
  static float signedAbsMax(float[] x, int off, int n) {
    float amax = 0f;
    float max = 0f;
    for (int j = off; j < off + n; j++) {
      float a = Math.abs(x[j]);
      if (amax < a) {
        amax = a;
        max = x[j];
      }
    }
    return max;
  }

  static float absMax(float[] x, int off, int n) {
    float amax = 0f;
    for (int j = off; j < off + n; j++) {
      float a = Math.abs(x[j]);
      amax = amax > a ? amax : a;
    }
    return amax;
  }

  /** ggml's {@code min} loop, started at {@code FLT_MAX}. */
  static float min(float[] x, int off, int n) {
    float min = Float.MAX_VALUE;
    for (int j = off; j < off + n; j++) {
      if (x[j] < min) {
        min = x[j];
      }
    }
    return min;
  }

  /** ggml's {@code max} loop, started at {@code -FLT_MAX}. */
  static float max(float[] x, int off, int n) {
    float max = -Float.MAX_VALUE;
    for (int j = off; j < off + n; j++) {
      if (x[j] > max) {
        max = x[j];
      }
    }
    return max;
  }

  /** ggml's {@code d ? 1.0f/d : 0.0f}. */
  static float inverse(float d) {
    return d != 0f ? 1.0f / d : 0.0f;
  }
}
