package io.lazyq.lossless;

import static io.lazyq.lossless.BlockRoundTripProperties.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Float64 and integer streams (scheme 10) read per range, as float32 ones are: ranges of any
 * length in any order (backwards, forwards past unread blocks, again), through
 * {@link BlockDecoder#readLongs} and {@link BlockDecoder#readDoubles}, against the values written,
 * bit for bit: decimals of 0-4 digits with exceptions (NaN payloads, -0.0, infinities,
 * subnormals, values that are no decimal), smooth and noisy, and integers of every width.
 */
class StreamRangeProperties {

  @Property(tries = 150)
  void float64Decimals(@ForAll @IntRange(min = 1, max = 9000) int n, @ForAll @IntRange(min = 0, max = 4) int digits,
      @ForAll boolean smooth, @ForAll @IntRange(min = 0, max = 5) int exceptionPercent, @ForAll long seed) {
    Random r = new Random(seed);
    long[] bits = new long[n];
    double p = Math.pow(10, digits);
    long walk = r.nextInt(2_000_000) - 1_000_000;
    for (int i = 0; i < n; i++) {
      walk = smooth ? walk + r.nextInt(21) - 10 : r.nextInt(2_000_000) - 1_000_000;
      double v = walk / p;
      if (r.nextInt(100) < exceptionPercent) {
        v = SPECIALS[r.nextInt(SPECIALS.length)];
      }
      bits[i] = v == 0 && r.nextBoolean() ? Double.doubleToRawLongBits(-0.0) : Double.doubleToRawLongBits(v);
    }
    if (r.nextInt(10) == 0) {
      bits[r.nextInt(n)] = 0x7FF0_0000_0000_0123L; // a NaN with a payload
    }
    assertRangesInAnyOrder(ValueKind.FLOAT64, bits, exceptionPercent == 0 && n >= 100, r);
  }

  @Property(tries = 150)
  void integers(@ForAll("integerKinds") ValueKind kind, @ForAll @IntRange(min = 1, max = 9000) int n,
      @ForAll @IntRange(min = 0, max = 62) int spread, @ForAll boolean smooth, @ForAll long seed) {
    Random r = new Random(seed);
    long[] bits = new long[n];
    long v = r.nextLong();
    for (int i = 0; i < n; i++) {
      long step = spread == 0 ? 0 : r.nextLong() >> (63 - spread);
      v = smooth ? v + step : step;
      bits[i] = kind.width() == 4 ? (int) v : v;
    }
    assertRangesInAnyOrder(kind, bits, true, r);
  }

  /** Writes {@code bits} as a stream and reads it back in ranges of random length and place. */
  private static void assertRangesInAnyOrder(ValueKind kind, long[] bits, boolean mustStream, Random r) {
    int n = bits.length;
    ByteBuffer region = new BlockEncoder(kind).encodeStream(plain(kind, bits), n);
    if (region == null && !mustStream) {
      return; // most values are no decimal: the writer makes no stream of them
    }
    assertNotNull(region, "no stream of " + kind + " values");
    BlockDecoder d;
    try {
      d = BlockDecoder.open(region, kind, n);
    } catch (LazyQFormatException e) {
      throw new AssertionError(e);
    }
    assertEquals("stream", d.schemeSummary().substring(0, 6), d.schemeSummary());
    for (int read = 0; read < 12; read++) {
      int first = r.nextInt(n);
      int count = r.nextInt(r.nextBoolean() ? Math.min(n - first, 50) + 1 : n - first + 1);
      long[] got = new long[count + 1];
      d.readLongs(first, count, got, 1);
      for (int i = 0; i < count; i++) {
        if (got[i + 1] != bits[first + i]) {
          throw new AssertionError(kind + " read " + read + " [" + first + ", " + (first + count) + "), value " + (first + i)
              + ": " + Long.toHexString(got[i + 1]) + " != " + Long.toHexString(bits[first + i]));
        }
      }
      if (kind == ValueKind.FLOAT64) {
        double[] f = new double[count + 1];
        first = r.nextInt(n);
        count = Math.min(count, n - first);
        d.readDoubles(first, count, f, 1);
        for (int i = 0; i < count; i++) {
          assertEquals(bits[first + i], Double.doubleToRawLongBits(f[i + 1]), "double " + (first + i));
        }
      }
    }
    d.release();
  }

  private static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
      -Double.MIN_NORMAL / 3, Math.PI, 1e300, -9999.0};

  @Provide
  Arbitrary<ValueKind> integerKinds() {
    return Arbitraries.of(ValueKind.values()).filter(k -> !k.isFloating());
  }
}
