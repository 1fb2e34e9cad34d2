package io.lazyq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * The rounding of the q8_0 encoder's vector kernel on later JDKs ({@code ConvertingVectorKernels.roundHalfAway},
 * which {@code ConvertingVectorKernels} uses): C's {@code roundf} of a float {@code v} is
 * {@code v + copysign(0.5 - 2^-25, v)}, added in float and truncated, for every float up to 256 in
 * magnitude (the encoder's products stay below 128.1 once the inverse scale is finite).
 */
class RoundingTest {
  private static final float BELOW_HALF = 0.49999997f;

  @Test
  void belowHalfIsTheFloatBelowOneHalf() {
    assertEquals(0.5f - 0x1p-25f, BELOW_HALF);
    assertEquals(Math.nextDown(0.5f), BELOW_HALF);
  }

  @Test
  void addingJustBelowOneHalfThenTruncatingIsRoundfUpTo256() {
    int last = Float.floatToRawIntBits(256f);
    for (int bits = 0; bits <= last; bits++) {
      float v = Float.intBitsToFloat(bits);
      assertRoundf(v);
      assertRoundf(-v);
    }
  }

  /** The same with one half instead: wrong at 0.5 - 2^-25, which the float sum rounds up to 1. */
  @Test
  void oneHalfWouldRoundTheFloatBelowItUp() {
    assertEquals(0, GgmlRef.roundf(BELOW_HALF));
    assertNotEquals(0, (int) (BELOW_HALF + 0.5f));
    assertEquals(0, (int) (BELOW_HALF + BELOW_HALF));
  }

  private static void assertRoundf(float v) {
    int expected = (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    int actual = (int) (v + Math.copySign(BELOW_HALF, v));
    if (actual != expected) {
      assertEquals(expected, actual, "roundf(" + v + ")");
    }
  }
}
