package io.lazyq.lossless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
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
 * Every region decodes to the exact bit patterns it was given, read whole or in any range, as
 * written by the default encoder and by the lightweight one, whose blocks never hold an entropy coder.
 */
class BlockRoundTripProperties {

  @Property(tries = 200)
  void anyFloat32BitPattern(@ForAll("intBits") int[] bits) {
    assertRoundTrip(ValueKind.FLOAT32, widen(bits));
  }

  @Property(tries = 200)
  void anyFloat64BitPattern(@ForAll("longBits") long[] bits) {
    assertRoundTrip(ValueKind.FLOAT64, bits);
  }

  @Property(tries = 200)
  void anyIntegers(@ForAll("longBits") long[] v, @ForAll boolean narrow) {
    if (narrow) {
      long[] w = new long[v.length];
      for (int i = 0; i < v.length; i++) {
        w[i] = (int) v[i];
      }
      assertRoundTrip(ValueKind.INT32, w);
    } else {
      assertRoundTrip(ValueKind.INT64, v);
    }
  }

  @Property(tries = 200)
  void decimalsWithExceptions(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 0, max = 6) int digits,
      @ForAll @LongRange(min = 1, max = 100_000) long range, @ForAll @IntRange(min = 0, max = 50) int exceptionPercent,
      @ForAll long seed) {
    Random r = new Random(seed);
    float[] f = new float[n];
    double[] d = new double[n];
    long walk = 0;
    for (int i = 0; i < n; i++) {
      walk = r.nextInt(4) == 0 ? r.nextLong() % range : walk + r.nextInt(7) - 3;
      String text = java.math.BigDecimal.valueOf(walk, digits).toPlainString();
      f[i] = Float.parseFloat(text);
      d[i] = Double.parseDouble(text);
      if (r.nextInt(100) < exceptionPercent) {
        f[i] = SPECIALS_F[r.nextInt(SPECIALS_F.length)];
        d[i] = r.nextBoolean() ? r.nextGaussian() : Double.longBitsToDouble(r.nextLong());
      }
    }
    long[] fb = new long[n];
    long[] db = new long[n];
    for (int i = 0; i < n; i++) {
      fb[i] = Float.floatToRawIntBits(f[i]);
      db[i] = Double.doubleToRawLongBits(d[i]);
    }
    assertRoundTrip(ValueKind.FLOAT32, fb);
    assertRoundTrip(ValueKind.FLOAT64, db);
    RegionStreamProperties.assertStreamRoundTrip(ValueKind.FLOAT32, fb);
    RegionStreamProperties.assertStreamRoundTrip(ValueKind.FLOAT64, db);
  }

  @Property(tries = 200)
  void constantsAndRuns(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 1, max = 2000) int meanRun,
      @ForAll("intBits") int[] palette, @ForAll long seed) {
    Random r = new Random(seed);
    long[] v = new long[n];
    int value = palette.length == 0 ? 7 : palette[0];
    for (int i = 0; i < n; i++) {
      if (r.nextInt(meanRun) == 0 && palette.length > 0) {
        value = palette[r.nextInt(palette.length)];
      }
      v[i] = value;
    }
    assertRoundTrip(ValueKind.FLOAT32, v);
    assertRoundTrip(ValueKind.INT32, v);
    assertRoundTrip(ValueKind.INT64, v);
    RegionStreamProperties.assertStreamRoundTrip(ValueKind.FLOAT32, v);
    RegionStreamProperties.assertStreamRoundTrip(ValueKind.INT64, v);
  }

  /** All-null blocks hold zeros in their slots, as a column's null rows do. */
  @Property(tries = 50)
  void allNullBlocks(@ForAll @IntRange(min = 1, max = 5000) int n) {
    for (ValueKind kind : ValueKind.values()) {
      ByteBuffer region = assertRoundTrip(kind, new long[n]);
      assertTrue(region.limit() <= 4 + 4 * (n / 1024 + 2) + 20 * (n / 1024 + 1), "zeros cost a few bytes a block");
    }
  }

  @Example
  void specialFloatsSurviveEveryScheme() {
    long[] bits = new long[3000];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = Float.floatToRawIntBits(i % 3 == 0 ? SPECIALS_F[i % SPECIALS_F.length] : (i % 100) / 10f);
    }
    assertRoundTrip(ValueKind.FLOAT32, bits);
    long[] nanPayloads = new long[2048];
    Arrays.fill(nanPayloads, 0x7FC0_0001L);
    nanPayloads[5] = (int) 0xFFF0_0001;
    assertRoundTrip(ValueKind.FLOAT32, nanPayloads);
  }

  /**
   * Two-decimal readings of skewed steps, where the default encoder takes a stream or zstd frames: the
   * lightweight encoder keeps decimal blocks of bit-packed integers, exact, and at most the plain bytes.
   */
  @Example
  void lightweightRegionsHoldNoEntropyCoder() {
    Random r = new Random(9);
    long[] f = new long[40_000];
    long[] d = new long[f.length];
    long walk = 5000;
    for (int i = 0; i < f.length; i++) {
      // Mostly steps of -1, 0 or 1, some large: a frame's width follows the large ones, zstd the entropy.
      walk += r.nextInt(10) == 0 ? Math.round(r.nextGaussian() * 300) : r.nextInt(3) - 1;
      f[i] = Float.floatToRawIntBits(walk / 100f);
      d[i] = Double.doubleToRawLongBits(walk / 100.0);
      if (i % 997 == 0) {
        f[i] = Float.floatToRawIntBits(SPECIALS_F[i % SPECIALS_F.length]);
        d[i] = Double.doubleToRawLongBits(i % 2 == 0 ? -0.0 : Double.longBitsToDouble(0x7FF0_0000_0000_0F0FL));
      }
    }
    for (ValueKind kind : new ValueKind[] {ValueKind.FLOAT32, ValueKind.FLOAT64}) {
      long[] bits = kind == ValueKind.FLOAT32 ? f : d;
      ByteBuffer full = new BlockEncoder(kind).encode(plain(kind, bits), bits.length);
      String fullSummary;
      try {
        fullSummary = BlockDecoder.open(full, kind, bits.length).schemeSummary();
      } catch (LazyQFormatException e) {
        throw new AssertionError(e);
      }
      assertTrue(fullSummary.contains("stream") || fullSummary.contains("zstd"), "the default encoder's choice: " + fullSummary);
      ByteBuffer light = assertRoundTrip(kind, bits, BlockEncoder.lightweight(kind, 0).encode(plain(kind, bits), bits.length));
      String summary = assertLightweight(kind, bits, light);
      assertTrue(summary.startsWith("decimal/"), summary);
      assertTrue(light.limit() >= full.limit() && light.limit() < bits.length * kind.width() / 2, light.limit() + " bytes against "
          + full.limit() + " by default");
    }
  }

  @Example
  void regularTimestampsCostAboutABitAValue() {
    long[] ts = new long[65536];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 1_600_000_000_000_000L + Math.round(i * 1e6 / 360);
    }
    ByteBuffer region = assertRoundTrip(ValueKind.INT64, ts);
    assertTrue(region.limit() * 8.0 / ts.length < 1.3, region.limit() + " bytes");
  }

  @Example
  void hostileRegionsAreRefused() {
    long[] v = new long[3000];
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.floatToRawIntBits(i * 0.25f);
    }
    ByteBuffer region = new BlockEncoder(ValueKind.FLOAT32).encode(plain(ValueKind.FLOAT32, v), v.length);
    assertThrows(LazyQFormatException.class, () -> BlockDecoder.open(region, ValueKind.FLOAT32, 5000));
    Random r = new Random(1);
    for (int trial = 0; trial < 2000; trial++) {
      ByteBuffer bad = ByteBuffer.allocate(region.limit()).order(ByteOrder.LITTLE_ENDIAN).put(region.duplicate()).flip();
      int at = r.nextInt(bad.limit());
      bad.put(at, (byte) r.nextInt(256));
      try {
        BlockDecoder d = BlockDecoder.open(bad, ValueKind.FLOAT32, v.length);
        d.readFloats(0, v.length, new float[v.length], 0);
      } catch (LazyQFormatException expected) {
        // refused before any read
      }
    }
  }

  static final float[] SPECIALS_F = {-0.0f, Float.NaN, Float.intBitsToFloat(0x7FA0_0001), Float.intBitsToFloat(0xFFC0_1234),
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
      Float.MAX_VALUE, 1e-40f, 3.4e38f};

  /** Round trips of the default encoder's region and of the lightweight encoder's; returns the default's. */
  static ByteBuffer assertRoundTrip(ValueKind kind, long[] bits) {
    assertLightweight(kind, bits, assertRoundTrip(kind, bits, BlockEncoder.lightweight(kind, 0).encode(plain(kind, bits), bits.length)));
    return assertRoundTrip(kind, bits, new BlockEncoder(kind).encode(plain(kind, bits), bits.length));
  }

  /** No block of {@code region} is split + zstd, codes + zstd or a stream (under zstd or rANS). */
  static String assertLightweight(ValueKind kind, long[] bits, ByteBuffer region) {
    String summary;
    try {
      summary = BlockDecoder.open(region, kind, bits.length).schemeSummary();
    } catch (LazyQFormatException e) {
      throw new AssertionError(e);
    }
    assertTrue(!summary.contains("zstd") && !summary.contains("stream") && !summary.contains("rans"), summary);
    return summary;
  }

  /** Every value of {@code region} against {@code bits}, read whole and in an unaligned range; returns the region. */
  static ByteBuffer assertRoundTrip(ValueKind kind, long[] bits, ByteBuffer region) {
    int n = bits.length;
    BlockDecoder d;
    try {
      d = BlockDecoder.open(region, kind, n);
    } catch (LazyQFormatException e) {
      throw new AssertionError(e);
    }
    assertEquals(plain(kind, bits), d.decodeAll(), "decodeAll");
    long[] got = new long[n];
    d.readLongs(0, n, got, 0);
    for (int i = 0; i < n; i++) {
      if (got[i] != bits[i]) {
        throw new AssertionError(kind + " value " + i + ": " + Long.toHexString(got[i]) + " != " + Long.toHexString(bits[i]));
      }
    }
    if (n > 0) {
      // An unaligned range across blocks, as a batch of rows reads it.
      int first = n / 3;
      int count = Math.min(n - first, 1500);
      if (kind == ValueKind.FLOAT32) {
        float[] f = new float[count + 1];
        d.readFloats(first, count, f, 1);
        for (int i = 0; i < count; i++) {
          assertEquals((int) bits[first + i], Float.floatToRawIntBits(f[i + 1]), "float " + (first + i));
        }
      } else if (kind == ValueKind.FLOAT64) {
        double[] f = new double[count + 1];
        d.readDoubles(first, count, f, 1);
        for (int i = 0; i < count; i++) {
          assertEquals(bits[first + i], Double.doubleToRawLongBits(f[i + 1]), "double " + (first + i));
        }
      }
    }
    return region;
  }

  static ByteBuffer plain(ValueKind kind, long[] bits) {
    ByteBuffer b = ByteBuffer.allocate(bits.length * kind.width()).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : bits) {
      if (kind.width() == 4) {
        b.putInt((int) v);
      } else {
        b.putLong(v);
      }
    }
    return b.flip();
  }

  private static long[] widen(int[] bits) {
    long[] w = new long[bits.length];
    for (int i = 0; i < bits.length; i++) {
      w[i] = bits[i];
    }
    return w;
  }

  @Provide
  Arbitrary<int[]> intBits() {
    Arbitrary<Integer> any = Arbitraries.oneOf(Arbitraries.integers(),
        Arbitraries.integers().between(0, SPECIALS_F.length - 1).map(i -> Float.floatToRawIntBits(SPECIALS_F[i])),
        Arbitraries.integers().between(-1000, 1000).map(i -> Float.floatToRawIntBits(i / 100f)));
    return any.array(int[].class).ofMaxSize(3000);
  }

  @Provide
  Arbitrary<long[]> longBits() {
    Arbitrary<Long> any = Arbitraries.oneOf(Arbitraries.longs(),
        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, Double.doubleToRawLongBits(-0.0),
            Double.doubleToRawLongBits(Double.NaN), 0x7FF0_0000_0000_0001L, 1L),
        Arbitraries.integers().between(-100000, 100000).map(i -> Double.doubleToRawLongBits(i / 1000.0)));
    return any.array(long[].class).ofMaxSize(3000);
  }
}
