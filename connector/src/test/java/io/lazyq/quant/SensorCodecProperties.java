package io.lazyq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The sensor codecs' promises, on generated data. */
class SensorCodecProperties {
  // ---- error-bounded: every decoded value within the bound

  @Property(tries = 300)
  void boundHoldsOnRandomData(@ForAll("signals") float[] x, @ForAll("bounds") double e) {
    assertBoundHolds(x, e);
  }

  @Property(tries = 200)
  void boundHoldsOnPressureLikeOffsets(@ForAll("pressure") float[] x, @ForAll("bounds") double e) {
    assertBoundHolds(x, e);
  }

  @Property(tries = 100)
  void boundHoldsNearFloatMax(@ForAll("nearMax") float[] x, @ForAll("bounds") double e) {
    assertBoundHolds(x, e);
    assertBoundHolds(x, 1e36);
  }

  @Property(tries = 100)
  void constantBlocksCostFiveBytes(@ForAll float c, @ForAll @IntRange(min = 1, max = 1000) int n,
      @ForAll("bounds") double e) {
    if (!Float.isFinite(c)) {
      return;
    }
    float[] x = new float[n];
    Arrays.fill(x, c);
    ByteBuffer region = assertBoundHolds(x, e);
    long blocks = QuantType.ERROR_BOUNDED.blockCount(n);
    assertEquals(4 + 4 * (blocks + 1) + 5 * blocks, region.limit(), "a constant block is 5 bytes");
  }

  @Property(tries = 200)
  void boundHoldsWithOneOutlier(@ForAll("signals") float[] x, @ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll("bounds") double e) {
    x[at % x.length] = x[at % x.length] * 1e6f + 12345f;
    assertBoundHolds(x, e);
  }

  @Example
  void pressureAtOneTenThousandthUsesFewBits() throws Exception {
    float[] x = new float[128 * 64];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1013.25f + 0.5f * (float) Math.sin(i * 0.01);
    }
    ByteBuffer region = assertBoundHolds(x, 1e-3);
    // A 1 hPa range at a step of about 2e-3 needs 9 or 10 bits, far below 32.
    assertEquals(true, region.limit() < x.length * 4 / 2, "compressed to " + region.limit() + " bytes");
  }

  static ByteBuffer assertBoundHolds(float[] x, double e) {
    ErrorBoundedCodec codec = ErrorBoundedCodec.withBound(e);
    ByteBuffer dst = ByteBuffer.allocate((int) codec.maxEncodedBytes(x.length)).order(ByteOrder.LITTLE_ENDIAN);
    int written = codec.encode(x, 0, x.length, dst);
    ByteBuffer region = dst.flip().slice().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(written, region.limit());
    BlockCodec decoder = QuantType.ERROR_BOUNDED.codec();
    try {
      decoder.validate(region, x.length);
    } catch (LazyQFormatException ex) {
      fail("encoder wrote a region its own validation rejects", ex);
    }
    float[] y = new float[x.length];
    decoder.decode(region, 0, x.length, y, 0);
    for (int i = 0; i < x.length; i++) {
      if (!(Math.abs((double) y[i] - x[i]) <= e)) {
        fail("value " + i + ": " + x[i] + " decoded as " + y[i] + ", beyond bound " + e);
      }
    }
    if (x.length > 3) {
      float[] part = new float[x.length - 3];
      decoder.decode(region, 2, x.length - 3, part, 0);
      for (int i = 0; i < part.length; i++) {
        assertEquals(Float.floatToRawIntBits(y[i + 2]), Float.floatToRawIntBits(part[i]), "sub-range value " + (i + 2));
      }
    }
    return region;
  }

  // ---- affine: within step / 2, plus float rounding of at most 4 ulp of the block's largest magnitude

  @Property(tries = 300)
  void affineRoundTripsWithinHalfAStep(@ForAll("affineTypes") QuantType type, @ForAll("moderate") float[] x) {
    BlockCodec codec = type.codec();
    ByteBuffer region = ByteBuffer.allocate((int) codec.maxEncodedBytes(x.length)).order(ByteOrder.LITTLE_ENDIAN);
    codec.encode(x, 0, x.length, region);
    region.flip();
    float[] y = new float[x.length];
    codec.decode(region, 0, x.length, y, 0);
    int bs = type.blockSize();
    for (int b = 0; b * bs < x.length; b++) {
      float step = region.getFloat(b * type.blockBytes() + 4);
      float maxAbs = 0;
      for (int i = b * bs; i < Math.min(x.length, (b + 1) * bs); i++) {
        maxAbs = Math.max(maxAbs, Math.abs(x[i]));
      }
      double allowed = step / 2.0 + 4 * Math.ulp(maxAbs);
      for (int i = b * bs; i < Math.min(x.length, (b + 1) * bs); i++) {
        if (!(Math.abs((double) y[i] - x[i]) <= allowed)) {
          fail(type + " value " + i + ": " + x[i] + " decoded as " + y[i] + ", step " + step);
        }
      }
    }
  }

  // ---- NaN and infinities

  @Property(tries = 200)
  void quantizedTypesRefuseNonFinite(@ForAll("quantizingCodecs") BlockCodec codec, @ForAll("signals") float[] x,
      @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll("nonFinite") float bad) {
    int i = at % x.length;
    x[i] = bad;
    ByteBuffer dst = ByteBuffer.allocate((int) codec.maxEncodedBytes(x.length));
    QuantizationException e = assertThrows(QuantizationException.class, () -> codec.encode(x, 0, x.length, dst));
    assertEquals(i, e.index());
  }

  // ---- validation of untrusted regions

  @Property(tries = 2000)
  void validateThrowsOnlyFormatExceptions(@ForAll("allTypes") QuantType type,
      @ForAll @Size(max = 400) byte[] bytes, @ForAll @IntRange(min = -2, max = 2000) int n) {
    ByteBuffer region = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      type.codec().validate(region, n);
    } catch (LazyQFormatException expected) {
      return;
    }
    // Whatever passes validation must decode without an exception.
    float[] y = new float[n];
    type.codec().decode(region, 0, n, y, 0);
  }

  @Property(tries = 500)
  void validateRejectsTruncatedAndCatchesCorruptErrorBoundedRegions(@ForAll("signals") float[] x,
      @ForAll("bounds") double e, @ForAll @IntRange(min = 0, max = 1 << 20) int cut, @ForAll byte noise) {
    ErrorBoundedCodec codec = ErrorBoundedCodec.withBound(e);
    ByteBuffer dst = ByteBuffer.allocate((int) codec.maxEncodedBytes(x.length));
    int size = codec.encode(x, 0, x.length, dst);
    byte[] full = Arrays.copyOf(dst.array(), size);
    byte[] truncated = Arrays.copyOf(full, cut % size);
    assertThrows(LazyQFormatException.class,
        () -> codec.validate(ByteBuffer.wrap(truncated).order(ByteOrder.LITTLE_ENDIAN), x.length));
    byte[] corrupt = full.clone();
    corrupt[cut % size] ^= (byte) (noise | 1);
    ByteBuffer region = ByteBuffer.wrap(corrupt).order(ByteOrder.LITTLE_ENDIAN);
    try {
      codec.validate(region, x.length);
    } catch (LazyQFormatException expected) {
      return;
    }
    codec.decode(region, 0, x.length, new float[x.length], 0);
  }

  // ---- generators

  @Provide
  Arbitrary<Double> bounds() {
    return Arbitraries.of(0.5, 1e-2, 1e-3, 1e-4, 1e-6, 0.0);
  }

  @Provide
  Arbitrary<float[]> signals() {
    Arbitrary<Float> scale = Arbitraries.of(1e-30f, 1e-6f, 1f, 1e3f, 1e20f);
    Arbitrary<Float> offset = Arbitraries.of(0f, 1f, -1013.25f, 1e6f);
    return Combinators.combine(Arbitraries.floats().between(-1, 1).array(float[].class).ofMinSize(1).ofMaxSize(700),
            scale, offset)
        .as((u, s, o) -> {
          float[] x = new float[u.length];
          for (int i = 0; i < u.length; i++) {
            x[i] = u[i] * s + o;
          }
          return x;
        });
  }

  @Provide
  Arbitrary<float[]> pressure() {
    return Arbitraries.floats().between(1012.75f, 1013.75f).array(float[].class).ofMinSize(1).ofMaxSize(600);
  }

  @Provide
  Arbitrary<float[]> nearMax() {
    return Arbitraries.floats().between(-Float.MAX_VALUE, Float.MAX_VALUE)
        .map(f -> Math.abs(f) > 1e37f ? f : Math.copySign(Float.MAX_VALUE, f) * 0.999f)
        .array(float[].class).ofMinSize(1).ofMaxSize(300);
  }

  @Provide
  Arbitrary<float[]> moderate() {
    return Arbitraries.oneOf(signals().filter(x -> maxAbs(x) < 1e30f), pressure());
  }

  private static float maxAbs(float[] x) {
    float m = 0;
    for (float v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @Provide
  Arbitrary<Float> nonFinite() {
    return Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7F800001));
  }

  @Provide
  Arbitrary<QuantType> affineTypes() {
    return Arbitraries.of(QuantType.AFFINE8, QuantType.AFFINE4);
  }

  @Provide
  Arbitrary<QuantType> allTypes() {
    return Arbitraries.of(QuantType.values());
  }

  @Provide
  Arbitrary<BlockCodec> quantizingCodecs() {
    List<BlockCodec> codecs = List.of(QuantType.Q8_0.codec(), QuantType.Q4_0.codec(), QuantType.Q4_1.codec(),
        QuantType.Q5_0.codec(), QuantType.Q5_1.codec(), QuantType.AFFINE8.codec(), QuantType.AFFINE4.codec(),
        ErrorBoundedCodec.withBound(1e-3));
    return Arbitraries.of(codecs);
  }
}
