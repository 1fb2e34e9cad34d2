package io.lazyq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** fp16 and bf16 conversions: exhaustive round trips and the rounding corners. */
class HalfFloatTest {
  /**
   * Every non-NaN half survives half -> float -> half. A NaN widens quiet with its payload kept,
   * and narrows to ggml's canonical quiet NaN 0x7E00 with its sign: payloads do not survive.
   */
  @Test
  void everyHalfRoundTrips() {
    for (int h = 0; h < 1 << 16; h++) {
      float f = Fp16.toFloat(h);
      boolean nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
      int back = Fp16.fromFloat(f) & 0xFFFF;
      if (nan) {
        assertEquals(true, Float.isNaN(f), "half 0x" + Integer.toHexString(h));
        assertEquals(0x7FC00000 | (h & 0x3FF) << 13 | (h & 0x8000) << 16, Float.floatToRawIntBits(f),
            "NaN 0x" + Integer.toHexString(h) + " widens quiet with its payload");
        assertEquals((h & 0x8000) | 0x7E00, back, "NaN 0x" + Integer.toHexString(h));
      } else {
        assertEquals(h, back, "half 0x" + Integer.toHexString(h) + " = " + f);
      }
    }
  }

  @Test
  void widensExactly() {
    assertEquals(1.0f, Fp16.toFloat(0x3C00));
    assertEquals(-2.0f, Fp16.toFloat(0xC000));
    assertEquals(65504f, Fp16.toFloat(0x7BFF));
    assertEquals(0x1p-24f, Fp16.toFloat(0x0001));
    assertEquals(0x3FFp-24f, Fp16.toFloat(0x03FF));
    assertEquals(0x1p-14f, Fp16.toFloat(0x0400));
    assertEquals(Float.POSITIVE_INFINITY, Fp16.toFloat(0x7C00));
    assertEquals(Float.NEGATIVE_INFINITY, Fp16.toFloat(0xFC00));
    assertEquals(0x80000000, Float.floatToRawIntBits(Fp16.toFloat(0x8000)));
  }

  @Test
  void narrowsToNearestEven() {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa.
    assertEquals(0x3C00, Fp16.fromFloat(1f + 0x1p-11f));
    assertEquals(0x3C02, Fp16.fromFloat(1f + 3 * 0x1p-11f));
    assertEquals(0x3C01, Fp16.fromFloat(Math.nextUp(1f + 0x1p-11f)));
    // Largest finite, and the overflow threshold 65520 (halfway to 2^16) rounds to infinity.
    assertEquals(0x7BFF, Fp16.fromFloat(65504f));
    assertEquals(0x7BFF, Fp16.fromFloat(Math.nextDown(65520f)));
    assertEquals(0x7C00, Fp16.fromFloat(65520f));
    assertEquals(0x7C00, Fp16.fromFloat(1e10f));
    assertEquals((short) 0xFC00, Fp16.fromFloat(Float.NEGATIVE_INFINITY));
    // Subnormals: the smallest, a tie between 0 and the smallest, and just above that tie.
    assertEquals(0x0001, Fp16.fromFloat(0x1p-24f));
    assertEquals(0x0000, Fp16.fromFloat(0x1p-25f));
    assertEquals(0x0001, Fp16.fromFloat(Math.nextUp(0x1p-25f)));
    assertEquals(0x0002, Fp16.fromFloat(3 * 0x1p-25f));
    assertEquals((short) 0x8000, Fp16.fromFloat(-0f));
    assertEquals((short) 0x8000, Fp16.fromFloat(-1e-30f));
    assertEquals(0x7E00, Fp16.fromFloat(Float.NaN));
    assertEquals((short) 0xFE00, Fp16.fromFloat(Float.intBitsToFloat(0xFF800001)));
  }

  @Test
  void bf16RoundsAndQuietsAsGgml() {
    assertEquals(0x3F80, Bf16.fromFloat(1f));
    assertEquals(0x3F80, Bf16.fromFloat(Float.intBitsToFloat(0x3F808000)), "tie to even (down)");
    assertEquals(0x3F82, Bf16.fromFloat(Float.intBitsToFloat(0x3F818000)), "tie to even (up)");
    assertEquals(0x3F81, Bf16.fromFloat(Float.intBitsToFloat(0x3F808001)));
    assertEquals(0x7F80, Bf16.fromFloat(Float.MAX_VALUE), "overflow to infinity");
    assertEquals(0x7FC1, Bf16.fromFloat(Float.intBitsToFloat(0x7F810000)), "signalling NaN made quiet");
    assertEquals(0x7F81 | 64, Bf16.fromFloat(Float.intBitsToFloat(0x7F810001)) & 0xFFFF);
    for (int b = 0; b < 1 << 16; b++) {
      boolean nan = (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0;
      int back = Bf16.fromFloat(Bf16.toFloat(b)) & 0xFFFF;
      assertEquals(nan ? b | 64 : b, back, "bf16 0x" + Integer.toHexString(b));
    }
  }
}
