package io.lazyq.quant;

/**
 * IEEE binary16 ("half") conversion, bit-identical with ggml's scalar reference.
 *
 * <p>{@link #toFloat} is exact for every half value; NaNs come back quiet with their payload kept
 * (what x86's conversions and ggml's reference produce). {@link #fromFloat} rounds to nearest even,
 * keeps subnormals, overflows to infinity, and turns every NaN into the quiet NaN {@code 0x7E00}
 * with the input's sign, as ggml does: NaN payloads do not survive a round trip through float.
 */
public final class Fp16 {
  /** Every half value as float; 256 KiB, and a table look-up beats the bit arithmetic. */
  private static final float[] TO_FLOAT = new float[1 << 16];

  static {
    for (int h = 0; h < TO_FLOAT.length; h++) {
      TO_FLOAT[h] = Float.intBitsToFloat(toFloatBits(h));
    }
  }

  private Fp16() {}

  /** The float value of the half whose bits are the low 16 bits of {@code h}. */
  public static float toFloat(int h) {
    return TO_FLOAT[h & 0xFFFF];
  }

  /** The table {@link #toFloat} reads, for kernels that index it themselves. */
  static float[] table() {
    return TO_FLOAT;
  }

  /**
   * The half nearest to {@code f} (ties to even), as ggml's {@code ggml_compute_fp32_to_fp16}: the
   * float adds below make the FPU do the rounding, so subnormals and overflow fall out of it.
   */
  public static short fromFloat(float f) {
    float base = (Math.abs(f) * 0x1.0p+112f) * 0x1.0p-110f;
    int w = Float.floatToRawIntBits(f);
    int shl1W = w + w;
    int sign = w & 0x80000000;
    int bias = shl1W & 0xFF000000;
    if (Integer.compareUnsigned(bias, 0x71000000) < 0) {
      bias = 0x71000000;
    }
    base = Float.intBitsToFloat((bias >>> 1) + 0x07800000) + base;
    int bits = Float.floatToRawIntBits(base);
    int expBits = (bits >>> 13) & 0x00007C00;
    int mantissaBits = bits & 0x00000FFF;
    int nonSign = expBits + mantissaBits;
    boolean nan = Integer.compareUnsigned(shl1W, 0xFF000000) > 0;
    return (short) ((sign >>> 16) | (nan ? 0x7E00 : nonSign));
  }

  /** Exact widening with integer arithmetic only, so the table does not depend on the FPU's NaN rules. */
  private static int toFloatBits(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) {
      // Infinity, or NaN made quiet (bit 22) with its payload kept.
      return sign | 0x7F800000 | (mant == 0 ? 0 : 0x00400000 | (mant << 13));
    }
    if (exp != 0) {
      return sign | ((exp + 112) << 23) | (mant << 13);
    }
    if (mant == 0) {
      return sign;
    }
    // Subnormal half: normalise the mantissa into a normal float.
    int shift = Integer.numberOfLeadingZeros(mant) - 21;
    mant = (mant << shift) & 0x3FF;
    return sign | ((113 - shift) << 23) | (mant << 13);
  }
}
