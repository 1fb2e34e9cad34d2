package io.lazyq.lossless;

import static io.lazyq.lossless.BlockRoundTripProperties.SPECIALS_F;
import static io.lazyq.lossless.BlockRoundTripProperties.assertRoundTrip;
import static io.lazyq.lossless.BlockRoundTripProperties.plain;
import static io.lazyq.lossless.BoundedBlockProperties.assertWithinBound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Stream regions (scheme 10), written whether or not they are the smaller choice: every value
 * comes back bit for bit, or within the bound, read whole or in any range; a damaged stream is
 * refused when opened.
 */
class RegionStreamProperties {

  @Property(tries = 100)
  void anyBitPatterns(@ForAll("longBits") long[] v, @ForAll("kinds") ValueKind kind) {
    long[] bits = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      bits[i] = kind.width() == 4 ? (int) v[i] : v[i];
    }
    if (!kind.isFloating() && bits.length > 0) {
      assertNotNull(new BlockEncoder(kind).encodeStream(plain(kind, bits), bits.length), "integers always make a stream");
    }
    assertStreamRoundTrip(kind, bits);
  }

  /**
   * The region of {@code bits} written as a stream, where one applies, against every value; what
   * {@link BlockRoundTripProperties}' decimals with exceptions, runs and constants also go through.
   */
  static void assertStreamRoundTrip(ValueKind kind, long[] bits) {
    ByteBuffer region = new BlockEncoder(kind).encodeStream(plain(kind, bits), bits.length);
    if (region != null) {
      assertStream(region);
      assertRoundTrip(kind, bits, region);
    }
  }

  /** Precipitation's shape: long runs of zeros, a few decimals between them, sentinels. */
  @Property(tries = 50)
  void mostlyZeros(@ForAll @IntRange(min = 8192, max = 40000) int n, @ForAll @IntRange(min = 1, max = 20) int nonZeroPercent,
      @ForAll long seed) {
    Random r = new Random(seed);
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      float x = r.nextInt(100) < nonZeroPercent ? r.nextInt(300) / 10f : 0f;
      v[i] = Float.floatToRawIntBits(r.nextInt(5000) == 0 ? 999990f : x);
    }
    ByteBuffer region = new BlockEncoder(ValueKind.FLOAT32).encodeStream(plain(ValueKind.FLOAT32, v), n);
    assertNotNull(region);
    assertRoundTrip(ValueKind.FLOAT32, v, region);
    ByteBuffer chosen = assertRoundTrip(ValueKind.FLOAT32, v);
    // Blocks are kept unless the stream saves 15% of them.
    assertTrue(chosen.limit() <= region.limit() / 0.85 + 1, chosen.limit() + " bytes chosen, the stream " + region.limit());
  }

  /** The region of {@code bits} written as a stream under {@code bound}, where one applies, against every value. */
  static void assertBoundedStream(ValueKind kind, long[] bits, double bound) {
    ByteBuffer region = new BlockEncoder(kind, bound).encodeStream(plain(kind, bits), bits.length);
    if (region != null) {
      assertStream(region);
      assertWithinBound(kind, bits, bound, region);
    }
  }

  /** A slow one-decimal signal (deltas of about 2.6 bits): a stream of its deltas is the encoder's choice. */
  @Example
  void smoothDecimalsChooseTheStream() {
    Random r = new Random(11);
    int n = 100_000;
    long[] v = new long[n];
    long walk = 10_000;
    for (int i = 0; i < n; i++) {
      walk += Math.round(r.nextGaussian() * 1.5);
      v[i] = Float.floatToRawIntBits(BigDecimal.valueOf(walk, 1).floatValue());
    }
    ByteBuffer chosen = assertRoundTrip(ValueKind.FLOAT32, v);
    assertStream(chosen);
  }

  /**
   * Two streams open together on one thread (as a reader holds a chunk's columns) and read in
   * batches of arbitrary position and order: every value as written, so the pooled scratch of one
   * is never the other's, and a read anywhere (after others, before them, in the middle of a block)
   * finds its delta predictor's running integer. (At least 100 values: a stream takes at most a
   * quarter of them as exceptions, which one random bit pattern among two would exceed.)
   */
  @Property(tries = 60)
  void batchesInAnyOrder(@ForAll @IntRange(min = 100, max = 20000) int n, @ForAll long seed) throws LazyQFormatException {
    Random r = new Random(seed);
    long[][] bits = new long[2][n];
    ByteBuffer[] regions = new ByteBuffer[2];
    for (int c = 0; c < 2; c++) {
      long walk = r.nextInt(1000);
      for (int i = 0; i < n; i++) {
        walk += c == 0 ? r.nextInt(41) - 20 : r.nextInt(3000);
        float v = r.nextInt(200) == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) (walk / 100.0);
        bits[c][i] = Float.floatToRawIntBits(v);
      }
      regions[c] = new BlockEncoder(ValueKind.FLOAT32).encodeStream(plain(ValueKind.FLOAT32, bits[c]), n);
      assertNotNull(regions[c]);
    }
    BlockDecoder[] d = {BlockDecoder.open(regions[0], ValueKind.FLOAT32, n), BlockDecoder.open(regions[1], ValueKind.FLOAT32, n)};
    float[] out = new float[4097];
    for (int read = 0; read < 40; read++) {
      int c = r.nextInt(2);
      int first = r.nextInt(n);
      int count = Math.min(n - first, r.nextInt(4096) + 1);
      d[c].readFloats(first, count, out, 1);
      for (int i = 0; i < count; i++) {
        assertEquals((int) bits[c][first + i], Float.floatToRawIntBits(out[i + 1]), "column " + c + " value " + (first + i));
      }
    }
    d[0].release();
    d[1].release();
  }

  @Example
  void damagedStreamsAreRefused() throws LazyQFormatException {
    Random r = new Random(5);
    int n = 9000;
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = Float.floatToRawIntBits(i % 97 == 0 ? Float.NaN : r.nextInt(50) / 10f);
    }
    ByteBuffer region = new BlockEncoder(ValueKind.FLOAT32).encodeStream(plain(ValueKind.FLOAT32, v), n);
    assertStream(region);
    assertTrue(refusedDamage(region, n, r, 2000) > 0, "some damage is refused");
    // Random readings: their offsets from the minimum compress smaller than their deltas.
    assertEquals("stream/decimal+offset=9", BlockDecoder.open(region, ValueKind.FLOAT32, n).schemeSummary());
  }

  /**
   * How many of {@code trials} copies of a float32 stream region with one byte changed are refused
   * when opened and read; any other outcome than values or a {@link LazyQFormatException} fails.
   */
  static int refusedDamage(ByteBuffer region, int n, Random r, int trials) {
    float[] out = new float[n];
    int refused = 0;
    for (int trial = 0; trial < trials; trial++) {
      ByteBuffer bad = ByteBuffer.allocate(region.limit()).order(ByteOrder.LITTLE_ENDIAN).put(region.duplicate()).flip();
      int at = r.nextInt(bad.limit());
      bad.put(at, (byte) (bad.get(at) ^ (1 + r.nextInt(255))));
      try {
        BlockDecoder d = BlockDecoder.open(bad, ValueKind.FLOAT32, n);
        d.readFloats(0, n, out, 0);
        d.readLongs(n / 2, n / 3, new long[n], 0);
      } catch (LazyQFormatException expected) {
        refused++;
      }
    }
    return refused;
  }

  private static void assertStream(ByteBuffer region) {
    ByteBuffer r = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int blocks = r.getInt(0);
    assertTrue(blocks == 0 || r.get(r.getInt(4)) == BlockFormat.STREAM, "block 0 is a stream");
  }

  @Provide
  Arbitrary<long[]> longBits() {
    return new BlockRoundTripProperties().longBits().map(a -> a.length > 0 && a.length < 9000 ? repeat(a, 3) : a);
  }

  private static long[] repeat(long[] a, int times) {
    long[] out = new long[a.length * times];
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i % a.length];
    }
    return out;
  }

  @Provide
  Arbitrary<ValueKind> kinds() {
    return Arbitraries.of(ValueKind.values());
  }

}
