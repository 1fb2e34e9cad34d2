package io.lazyq.lossless;

import static io.lazyq.lossless.BlockRoundTripProperties.SPECIALS_F;
import static io.lazyq.lossless.BlockRoundTripProperties.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Under an error bound every decoded value is within the bound of its input (non-finite values
 * exactly), read whole or in any range; decimals coarser than the bound come back exactly.
 */
class BoundedBlockProperties {

  @Property(tries = 200)
  void anyFloat32BitPattern(@ForAll("intBits") int[] bits, @ForAll("bounds") double bound) {
    long[] v = new long[bits.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = bits[i];
    }
    assertWithinBound(ValueKind.FLOAT32, v, bound);
    assertWithinBound(ValueKind.FLOAT64, doubles(v), bound);
  }

  @Property(tries = 200)
  void noisyReadings(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @LongRange(min = 0, max = 1_000_000) long offset,
      @ForAll @IntRange(min = 0, max = 8) int scaleDigits, @ForAll @IntRange(min = 0, max = 30) int spikePercent,
      @ForAll("bounds") double bound, @ForAll long seed) {
    Random r = new Random(seed);
    double scale = Math.pow(10, -scaleDigits) * 1000;
    long[] v = new long[n];
    double walk = offset;
    for (int i = 0; i < n; i++) {
      walk += r.nextGaussian() * scale;
      float f = (float) walk;
      if (r.nextInt(100) < spikePercent) {
        f = r.nextBoolean() ? SPECIALS_F[r.nextInt(SPECIALS_F.length)] : (float) (r.nextGaussian() * 1e30);
      }
      v[i] = Float.floatToRawIntBits(f);
    }
    assertWithinBound(ValueKind.FLOAT32, v, bound);
    assertWithinBound(ValueKind.FLOAT64, doubles(v), bound);
    RegionStreamProperties.assertBoundedStream(ValueKind.FLOAT32, v, bound);
    RegionStreamProperties.assertBoundedStream(ValueKind.FLOAT64, doubles(v), bound);
  }

  /**
   * Readings with fewer decimals than the bound resolves are kept bit for bit, beside exceptions
   * that no step holds (a step would hold tiny ones, and may then be the smaller choice).
   */
  @Property(tries = 200)
  void coarseDecimalsStayExact(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 0, max = 2) int digits,
      @ForAll @LongRange(min = 1, max = 100_000) long range, @ForAll @IntRange(min = 0, max = 10) int exceptionPercent,
      @ForAll long seed) {
    Random r = new Random(seed);
    long[] v = new long[n];
    boolean[] decimal = new boolean[n];
    long walk = 0;
    for (int i = 0; i < n; i++) {
      walk = r.nextInt(8) == 0 ? r.nextLong() % range : walk + r.nextInt(3) - 1;
      float f = Float.parseFloat(BigDecimal.valueOf(walk, digits).toPlainString());
      decimal[i] = r.nextInt(100) >= exceptionPercent;
      if (!decimal[i]) {
        f = HUGE_OR_NOT_FINITE[r.nextInt(HUGE_OR_NOT_FINITE.length)];
      }
      v[i] = Float.floatToRawIntBits(f);
    }
    long[] got = assertWithinBound(ValueKind.FLOAT32, v, 1e-3);
    for (int i = 0; i < n; i++) {
      if (decimal[i]) {
        assertEquals(v[i], got[i], "value " + i + " is a decimal coarser than the bound");
      }
    }
  }

  /**
   * A block of few distinct two-decimal readings, where a dictionary of their bits is smaller than
   * the decimals: still exact, not quantized at the finer step.
   */
  @Example
  void coarseDecimalsInADictionaryStayExact() {
    coarseDecimalsStayExact(1885, 2, 8, 2, -233);
  }

  @Property(tries = 100)
  void runsAndZeros(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 1, max = 2000) int meanRun,
      @ForAll("bounds") double bound, @ForAll long seed) {
    Random r = new Random(seed);
    long[] v = new long[n];
    float value = 0;
    for (int i = 0; i < n; i++) {
      if (r.nextInt(meanRun) == 0) {
        value = r.nextBoolean() ? 0 : (float) r.nextGaussian() * 10;
      }
      v[i] = Float.floatToRawIntBits(value);
    }
    assertWithinBound(ValueKind.FLOAT32, v, bound);
  }

  /** All-null blocks (zeros in every slot) cost a few bytes a block, bounded or not. */
  @Property(tries = 20)
  void allNullBlocks(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll("bounds") double bound) {
    ByteBuffer region = new BlockEncoder(ValueKind.FLOAT32, bound).encode(plain(ValueKind.FLOAT32, new long[n]), n);
    assertWithinBound(ValueKind.FLOAT32, new long[n], bound);
    assertTrue(region.limit() <= 4 + 4 * (n / 1024 + 2) + 20 * (n / 1024 + 1), region.limit() + " bytes");
  }

  /** Gaussian noise at the bound's scale: the quantized codes cost about what their entropy does, not 32 bits. */
  @Example
  void noiseCostsItsResolution() {
    Random r = new Random(7);
    int n = 16384;
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = Float.floatToRawIntBits((float) (0.05 * r.nextGaussian()));
    }
    ByteBuffer region = new BlockEncoder(ValueKind.FLOAT32, 1e-3).encode(plain(ValueKind.FLOAT32, v), n);
    assertWithinBound(ValueKind.FLOAT32, v, 1e-3);
    // sigma / step = 25: entropy log2(25 * sqrt(2 pi e)) = 6.7 bits; a frame of the range needs 8-9.
    double bitsPerValue = region.limit() * 8.0 / n;
    assertTrue(bitsPerValue < 8.5, bitsPerValue + " bits a value");
  }

  private static final float[] HUGE_OR_NOT_FINITE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.MAX_VALUE, -3.4e38f, Float.intBitsToFloat(0x7FA0_0001)};

  /** A damaged quantized or codes + zstd block is refused when the region is opened, or decodes to some values: never a crash. */
  @Example
  void hostileBoundedRegionsAreRefused() {
    Random r = new Random(3);
    int n = 3000;
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = Float.floatToRawIntBits(i < 1500 ? (float) (0.05 * r.nextGaussian()) : (float) Math.sin(i / 40.0));
    }
    ByteBuffer region = new BlockEncoder(ValueKind.FLOAT32, 1e-3).encode(plain(ValueKind.FLOAT32, v), n);
    float[] out = new float[n];
    for (int trial = 0; trial < 3000; trial++) {
      ByteBuffer bad = ByteBuffer.allocate(region.limit()).order(java.nio.ByteOrder.LITTLE_ENDIAN).put(region.duplicate()).flip();
      int at = r.nextInt(bad.limit());
      bad.put(at, (byte) r.nextInt(256));
      try {
        BlockDecoder d = BlockDecoder.open(bad, ValueKind.FLOAT32, n);
        d.readFloats(0, n, out, 0);
        d.readLongs(n / 2, n / 3, new long[n], 0);
      } catch (LazyQFormatException expected) {
        // refused before any read
      }
    }
  }

  /**
   * Every value of the region against its input, as the default encoder and the lightweight one
   * (whose blocks hold no entropy coder) write it; returns the default's decoded bit patterns.
   */
  static long[] assertWithinBound(ValueKind kind, long[] bits, double bound) {
    ByteBuffer light = BlockEncoder.lightweight(kind, bound).encode(plain(kind, bits), bits.length);
    assertWithinBound(kind, bits, bound, light);
    BlockRoundTripProperties.assertLightweight(kind, bits, light);
    return assertWithinBound(kind, bits, bound, new BlockEncoder(kind, bound).encode(plain(kind, bits), bits.length));
  }

  /** Every value of {@code region} within {@code bound} of {@code bits}; returns the decoded bit patterns. */
  static long[] assertWithinBound(ValueKind kind, long[] bits, double bound, ByteBuffer region) {
    int n = bits.length;
    BlockDecoder d;
    try {
      d = BlockDecoder.open(region, kind, n);
    } catch (LazyQFormatException e) {
      throw new AssertionError(e);
    }
    long[] got = new long[n];
    d.readLongs(0, n, got, 0);
    for (int i = 0; i < n; i++) {
      double x = value(kind, bits[i]);
      double y = value(kind, got[i]);
      boolean ok = Double.isFinite(x) ? Math.abs(y - x) <= bound : got[i] == bits[i];
      if (!ok) {
        throw new AssertionError(kind + " value " + i + ": " + y + " for " + x + ", bound " + bound);
      }
    }
    if (n > 0) {
      int first = n / 3;
      int count = Math.min(n - first, 1500);
      // An unaligned range across blocks, as a batch of rows reads it, gives the same values.
      float[] f = new float[count];
      double[] g = new double[count];
      if (kind == ValueKind.FLOAT32) {
        d.readFloats(first, count, f, 0);
      } else {
        d.readDoubles(first, count, g, 0);
      }
      for (int i = 0; i < count; i++) {
        long read = kind == ValueKind.FLOAT32 ? Float.floatToRawIntBits(f[i]) : Double.doubleToRawLongBits(g[i]);
        assertEquals(got[first + i], read, "value " + (first + i) + " read in a range");
      }
    }
    return got;
  }

  private static double value(ValueKind kind, long bits) {
    return kind == ValueKind.FLOAT32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
  }

  private static long[] doubles(long[] floatBits) {
    long[] d = new long[floatBits.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Double.doubleToRawLongBits(Float.intBitsToFloat((int) floatBits[i]));
    }
    return d;
  }

  @Provide
  Arbitrary<Double> bounds() {
    return Arbitraries.of(1e-6, 1e-3, 5e-3, 1e-2, 0.5, 100.0);
  }

  @Provide
  Arbitrary<int[]> intBits() {
    return new BlockRoundTripProperties().intBits();
  }
}
