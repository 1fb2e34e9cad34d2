package io.lazyq.lossless;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The stream's rANS stage ({@link ContextRans}): codes of any distribution come back exactly, as
 * the byte planes that zstd's stage gives; a damaged section is refused with a reason, never
 * decoded into a crash.
 */
class ContextRansProperties {

  /** Codes from a mix of shapes: geometric (small deltas), uniform over a range, runs, and rare huge escapes. */
  @Property(tries = 200)
  void anyDistributionRoundTrips(@ForAll @IntRange(min = 0, max = 30000) int n, @ForAll @IntRange(min = 0, max = 5) int shape,
      @ForAll @IntRange(min = 1, max = 5000) int range, @ForAll @IntRange(min = 0, max = 100) int escapePermille,
      @ForAll long seed) {
    Random r = new Random(seed);
    long[] codes = new long[n];
    long previous = 0;
    for (int i = 0; i < n; i++) {
      long c = switch (shape) {
        case 0 -> (long) (-Math.log(1 - r.nextDouble()) * range / 50);
        case 1 -> r.nextInt(range);
        case 2 -> r.nextInt(10) < 8 ? previous : r.nextInt(range);
        case 3 -> i < n / 2 ? r.nextInt(4) : r.nextInt(range);
        case 4 -> range;
        default -> r.nextLong();
      };
      if (r.nextInt(1000) < escapePermille) {
        c = r.nextBoolean() ? r.nextLong() : 4095 + r.nextInt(3);
      }
      codes[i] = previous = c;
    }
    assertRoundTrip(codes);
  }

  @Example
  void singleSymbolEmptyAndExtremes() {
    assertRoundTrip(new long[0]);
    assertRoundTrip(new long[1]);
    assertRoundTrip(new long[50000]);
    long[] max = new long[10000];
    Arrays.fill(max, -1L);
    assertRoundTrip(max);
    long[] allEscapes = new long[10000];
    Random r = new Random(3);
    for (int i = 0; i < allEscapes.length; i++) {
      allEscapes[i] = 4095 + (r.nextLong() >>> 1);
    }
    assertRoundTrip(allEscapes);
    long[] alternating = new long[10001];
    for (int i = 0; i < alternating.length; i++) {
      alternating[i] = i % 2 == 0 ? 0 : -1L;
    }
    assertRoundTrip(alternating);
  }

  /** A region at the writer's largest stream, 2^21 codes over the whole 12-bit alphabet. */
  @Example
  void largestStream() {
    Random r = new Random(9);
    long[] codes = new long[BlockEncoder.STREAM_MAX_VALUES];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (long) Math.abs(r.nextGaussian() * 800);
    }
    assertRoundTrip(codes);
  }

  /** Skewed codes cost about their entropy: within 3% plus the tables of an order-0 ideal coder. */
  @Example
  void sizeNearTheEntropy() {
    Random r = new Random(4);
    int n = 200_000;
    long[] codes = new long[n];
    int[] counts = new int[64];
    for (int i = 0; i < n; i++) {
      codes[i] = Math.min(63, (long) (-Math.log(1 - r.nextDouble()) * 3));
      counts[(int) codes[i]]++;
    }
    double bits = 0;
    for (int c : counts) {
      bits += c == 0 ? 0 : -c * Math.log((double) c / n) / Math.log(2);
    }
    int size = ContextRans.encode(codes, n).length;
    assertTrue(size < bits / 8 * 1.03 + 200, size + " bytes for " + bits / 8 + " bytes of entropy");
  }

  @Example
  void damagedSectionsAreRefused() {
    Random r = new Random(8);
    int n = 20000;
    long[] codes = new long[n];
    for (int i = 0; i < n; i++) {
      codes[i] = r.nextInt(50) == 0 ? r.nextLong() >>> 8 : r.nextInt(40);
    }
    byte[] section = ContextRans.encode(codes, n);
    int b = width(codes);
    byte[] planes = new byte[n * b];
    int refused = 0;
    for (int trial = 0; trial < 1000; trial++) {
      byte[] bad = section.clone();
      int at = r.nextInt(bad.length);
      bad[at] ^= (byte) (1 + r.nextInt(255));
      if (ContextRans.decode(bad, 0, bad.length, n, b, planes) != null) {
        refused++;
      }
      int cut = r.nextInt(section.length);
      assertNotNull(ContextRans.decode(section, 0, cut, n, b, planes), "a section cut to " + cut + " bytes is refused");
    }
    // rANS has no checksum: a flipped bit may decode to other symbols and end in the right state; the
    // column chunk's CRC32C catches those. The final state and byte count catch nearly all.
    assertTrue(refused > 900, refused + " of 1000 damaged sections refused");
  }

  /** A random walk of one decimal, quiet and lively by turns, whose error-bounded stream takes the rANS stage (kept exact): damage anywhere is refused on opening, nearly always. */
  @Example
  void damagedRegionsAreRefused() throws Exception {
    Random r = new Random(12);
    int n = 12000;
    long[] v = new long[n];
    long walk = 5000;
    for (int i = 0; i < n; i++) {
      walk += Math.round(r.nextGaussian() * (i / 1500 % 3 == 0 ? 0.4 : 3));
      v[i] = Float.floatToRawIntBits(walk / 10f);
    }
    java.nio.ByteBuffer region = new BlockEncoder(ValueKind.FLOAT32, 1e-3).encodeStream(BlockRoundTripProperties.plain(ValueKind.FLOAT32, v), n);
    assertTrue(BlockDecoder.open(region, ValueKind.FLOAT32, n).schemeSummary().contains("+rans"));
    int refused = RegionStreamProperties.refusedDamage(region, n, r, 1000);
    // The stages end in a known state after their last word; the chunk's CRC32C catches what still decodes.
    assertTrue(refused > 900, refused + " of 1000 damaged regions refused");
  }

  private static int width(long[] codes) {
    long or = 0;
    for (long c : codes) {
      or |= c;
    }
    return Math.max(1, (64 - Long.numberOfLeadingZeros(or) + 7) / 8);
  }

  /** Encodes, decodes and compares with the byte planes computed here from the codes. */
  private static void assertRoundTrip(long[] codes) {
    int n = codes.length;
    int b = width(codes);
    byte[] expected = new byte[n * b];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < b; j++) {
        expected[j * n + i] = (byte) (codes[i] >>> (8 * j));
      }
    }
    byte[] section = ContextRans.encode(codes, n);
    byte[] planes = new byte[n * b];
    assertNull(ContextRans.decode(section, 0, section.length, n, b, planes));
    assertArrayEquals(expected, planes);
    // Inside a larger array, at an offset, as a stream holds it.
    byte[] framed = new byte[section.length + 10];
    System.arraycopy(section, 0, framed, 7, section.length);
    Arrays.fill(planes, (byte) 0);
    assertNull(ContextRans.decode(framed, 7, section.length, n, b, planes));
    assertArrayEquals(expected, planes);
    if (b > 1) {
      assertNotNull(ContextRans.decode(section, 0, section.length, n, b - 1, planes), "codes wider than the stream's are refused");
    }
  }
}
