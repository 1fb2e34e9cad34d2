package io.lazyq.quant;

/**
 * The fields of each byte value as exact floats, indexed by the byte ({@code b & 0xFF}). On JDK 17,
 * C2 compiles an int-to-float conversion to a scalar instruction that costs more than a load from
 * a table that stays in L1, and vectorises neither: kernels that look the code's float up instead
 * of converting it ran a fifth to two fifths faster (Q8_0, Q4_1, Q4_K, affine4; {@code Q8_0Bench}
 * compares the ways for Q8_0), though not affine8's, which keeps its conversion. The entries are
 * exact, so every product and sum is the same, bit for bit, as with the conversion.
 */
final class ByteFloats {
  /** The byte as a signed int8. */
  static final float[] INT8 = new float[256];
  /** Its low nibble, 0 to 15. */
  static final float[] LOW_NIBBLE = new float[256];
  /** Its high nibble, 0 to 15. */
  static final float[] HIGH_NIBBLE = new float[256];

  static {
    for (int b = 0; b < 256; b++) {
      INT8[b] = (byte) b;
      LOW_NIBBLE[b] = b & 0xF;
      HIGH_NIBBLE[b] = b >>> 4;
    }
  }

  private ByteFloats() {}
}
