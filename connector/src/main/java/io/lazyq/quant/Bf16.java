package io.lazyq.quant;

/** bfloat16 conversion, bit-identical with ggml's {@code ggml_compute_fp32_to_bf16} and its inverse. */
public final class Bf16 {
  private Bf16() {}

  /** The float value of the bfloat16 whose bits are the low 16 bits of {@code b}: exact. */
  public static float toFloat(int b) {
    return Float.intBitsToFloat(b << 16);
  }

  /** Round to nearest even; a NaN keeps its top payload bits and is made quiet, as ggml does. */
  public static short fromFloat(float f) {
    int u = Float.floatToRawIntBits(f);
    if ((u & 0x7FFFFFFF) > 0x7F800000) {
      return (short) ((u >>> 16) | 64);
    }
    return (short) ((u + (0x7FFF + ((u >>> 16) & 1))) >>> 16);
  }
}
