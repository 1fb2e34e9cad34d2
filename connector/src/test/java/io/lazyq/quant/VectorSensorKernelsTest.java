package io.lazyq.quant;

import static io.lazyq.quant.VectorKernelsTest.encode;
import static io.lazyq.quant.VectorKernelsTest.refusal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The vector kernels of LazyQ's sensor types against the scalar ones, byte for byte and bit for bit:
 * the error_bounded decoder on regions of every width with arbitrary bases and steps (NaN,
 * infinities, -0.0, subnormals), and the affine8, affine4 and error_bounded encoders on finite
 * values of every magnitude, constant blocks and ties included. Runs where the vector kernels load
 * (the build's vector-kernels test execution), and is skipped elsewhere.
 */
@AddLifecycleHook(VectorKernelsTest.OnlyWithVectorKernels.class)
class VectorSensorKernelsTest {
  private static final Kernels SCALAR_KERNELS = new ScalarKernels();
  private static final Kernels VECTOR_KERNELS = Kernels.vector().orElse(null);
  private static final Map<QuantType, BlockCodec> SCALAR = BlockCodecs.on(SCALAR_KERNELS);
  private static final Map<QuantType, BlockCodec> VECTOR =
      VECTOR_KERNELS == null ? null : BlockCodecs.on(VECTOR_KERNELS);
  private static final List<QuantType> AFFINE = List.of(QuantType.AFFINE8, QuantType.AFFINE4);

  private static final int[] WIDTHS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 32};
  private static final float[] SPECIAL_FLOATS = {Float.NaN, Float.intBitsToFloat(0x7FA00001),
      Float.intBitsToFloat(0xFFC00123), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
      -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, -0.0f, 0.0f, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, 0x1p-24f};
  private static final double[] BOUNDS = {0, 1e-7, 1e-5, 1e-3, 0.05, 1, 1e30};

  @Property(tries = 300)
  void boundedDecodersAgree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int n) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] region = boundedRegion(n, random);
    int first = random.nextInt(n);
    int count = random.nextInt(n - first + 1);
    for (ByteBuffer view : List.of(GgmlDecodeTest.heap(region), GgmlDecodeTest.direct(region))) {
      assertSameBoundedBits(view, 0, n);
      assertSameBoundedBits(view, first, count);
    }
  }

  /** Every width, by the kernels alone, often enough that C2 compiles the vector kernel. */
  @Property(tries = 1)
  void boundedKernelsAgreeOnceCompiled(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] block = new byte[BoundedBlockDecoder.readSpan(ErrorBoundedCodec.MAX_WIDTH)];
    float[] expected = new float[ErrorBoundedCodec.BLOCK];
    float[] actual = new float[ErrorBoundedCodec.BLOCK];
    for (int round = 0; round < 40_000; round++) {
      int w = 1 + round % ErrorBoundedCodec.MAX_WIDTH;
      int m = round % 3 == 0 ? 1 + random.nextInt(ErrorBoundedCodec.BLOCK) : ErrorBoundedCodec.BLOCK;
      random.nextBytes(block);
      block[0] = (byte) w;
      LittleEndian.putFloat(block, 1, arbitraryFloat(random));
      LittleEndian.putFloat(block, 5, arbitraryFloat(random));
      SCALAR_KERNELS.decodeBounded(block, 0, m, expected, 0);
      VECTOR_KERNELS.decodeBounded(block, 0, m, actual, 0);
      assertSameBits("width " + w + ", round " + round, LittleEndian.f32(block, 1), expected, actual, m);
    }
  }

  @Property(tries = 300)
  void affineEncodersAgree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1500) int n) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = sensorValues(n, random);
    for (QuantType type : AFFINE) {
      for (boolean direct : new boolean[] {false, true}) {
        assertArrayEquals(encode(SCALAR.get(type), x, direct), encode(VECTOR.get(type), x, direct),
            type + (direct ? " into a direct buffer" : " into a heap buffer"));
      }
    }
  }

  /** The encoder kernels alone on many blocks, often enough that C2 compiles them. */
  @Property(tries = 1)
  void affineKernelsAgreeOnceCompiled(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int blocks = 9;
    byte[] expected = new byte[72 * blocks];
    byte[] actual = new byte[72 * blocks];
    for (int round = 0; round < 6_000; round++) {
      float[] x = sensorValues(64 * blocks, random);
      SCALAR_KERNELS.encodeAffine8(x, 0, blocks, expected, 0);
      VECTOR_KERNELS.encodeAffine8(x, 0, blocks, actual, 0);
      assertArrayEquals(expected, actual, "affine8 round " + round);
      SCALAR_KERNELS.encodeAffine4(x, 0, blocks, expected, 0);
      VECTOR_KERNELS.encodeAffine4(x, 0, blocks, actual, 0);
      assertArrayEquals(expected, actual, "affine4 round " + round);
    }
  }

  /** Both paths refuse the same first NaN or infinity, before writing anything. */
  @Property(tries = 100)
  void affineEncodersRefuseTheSameValue(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1500) int n) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = sensorValues(n, random);
    int first = random.nextInt(n);
    x[first] = SPECIAL_FLOATS[random.nextInt(5)];
    for (QuantType type : AFFINE) {
      for (boolean direct : new boolean[] {false, true}) {
        QuantizationException scalar = refusal(SCALAR.get(type), x, direct);
        QuantizationException vector = refusal(VECTOR.get(type), x, direct);
        assertEquals(first, scalar.index(), type.label());
        assertEquals(first, vector.index(), type.label());
      }
    }
  }

  /** The error_bounded encoder checks each block with the kernels' decoder: the same blocks on both paths. */
  @Property(tries = 200)
  void boundedEncodersAgree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1500) int n) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = sensorValues(n, random);
    double bound = BOUNDS[random.nextInt(BOUNDS.length)];
    BlockCodec scalar = ErrorBoundedCodec.withBound(bound, SCALAR_KERNELS);
    BlockCodec vector = ErrorBoundedCodec.withBound(bound, VECTOR_KERNELS);
    for (boolean direct : new boolean[] {false, true}) {
      assertArrayEquals(encode(scalar, x, direct), encode(vector, x, direct), "bound " + bound);
    }
  }

  /**
   * The error_bounded encoder's codes alone, on blocks of every width and length, with finite steps
   * from far too coarse to far too fine for the block's range (codes clamped at the top), often
   * enough that C2 compiles the vector kernel. Only the codes' bytes are compared: the bytes after
   * them are scratch.
   */
  @Property(tries = 1)
  void boundedEncoderKernelsAgreeOnceCompiled(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = sensorValues(1 << 14, random);
    byte[] expected = new byte[BoundedBlockDecoder.readSpan(ErrorBoundedCodec.MAX_WIDTH)];
    byte[] actual = new byte[expected.length];
    for (int round = 0; round < 40_000; round++) {
      int w = 1 + random.nextInt(ErrorBoundedCodec.MAX_WIDTH);
      int m = random.nextInt(3) == 0 ? 1 + random.nextInt(ErrorBoundedCodec.BLOCK) : ErrorBoundedCodec.BLOCK;
      int off = random.nextInt(x.length - m + 1);
      float min = x[off];
      float max = x[off];
      for (int i = off; i < off + m; i++) {
        min = Math.min(min, x[i]);
        max = Math.max(max, x[i]);
      }
      double range = (double) max - min;
      double scaled = range / Math.scalb(1.0, w) * Math.scalb(1.0, random.nextInt(-3, 4)) * random.nextDouble(0.5, 1);
      float step = (float) Math.min(Float.MAX_VALUE, Math.max(Float.MIN_VALUE, scaled));
      SCALAR_KERNELS.encodeBounded(x, off, m, min, step, w, expected, 9);
      VECTOR_KERNELS.encodeBounded(x, off, m, min, step, w, actual, 9);
      int end = 9 + (m * w + 7) / 8;
      assertArrayEquals(Arrays.copyOfRange(expected, 9, end), Arrays.copyOfRange(actual, 9, end),
          "width " + w + ", " + m + " values, step " + step + ", round " + round);
    }
  }

  private static void assertSameBoundedBits(ByteBuffer region, int first, int count) {
    float[] expected = new float[count];
    float[] actual = new float[count];
    SCALAR.get(QuantType.ERROR_BOUNDED).decode(region, first, count, expected, 0);
    VECTOR.get(QuantType.ERROR_BOUNDED).decode(region, first, count, actual, 0);
    for (int i = 0; i < count; i++) {
      int e = Float.floatToRawIntBits(expected[i]);
      int a = Float.floatToRawIntBits(actual[i]);
      // Only a NaN base can meet a second NaN (a NaN step, or an infinite one times code 0): see below.
      if (e != a && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]) && Float.isNaN(baseOf(region, first + i)))) {
        fail((region.isDirect() ? "direct" : "heap") + ": first difference at value " + (first + i) + " of ["
            + first + ", " + (first + count) + "): expected 0x" + Integer.toHexString(e) + ", got 0x"
            + Integer.toHexString(a));
      }
    }
  }

  /**
   * Bit for bit, except that where the base is a NaN and the product another (a NaN step, or an
   * infinite step times 0), either may come out: the scalar path's fused multiply-add returns its
   * first NaN operand, the vector path's product and sum the product's, as Java leaves open.
   */
  private static void assertSameBits(String what, float base, float[] expected, float[] actual, int m) {
    for (int i = 0; i < m; i++) {
      int e = Float.floatToRawIntBits(expected[i]);
      int a = Float.floatToRawIntBits(actual[i]);
      if (e != a && !(Float.isNaN(base) && Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
        fail(what + ": first difference at value " + i + ": expected 0x" + Integer.toHexString(e) + ", got 0x"
            + Integer.toHexString(a));
      }
    }
  }

  /** The base of the block that holds value {@code i} (NaN for a verbatim block, whose values are copied). */
  private static float baseOf(ByteBuffer region, int i) {
    int at = LittleEndian.i32(region, 4 + 4 * (i / ErrorBoundedCodec.BLOCK));
    int w = region.get(at) & 0xFF;
    return w == ErrorBoundedCodec.VERBATIM ? 0f : LittleEndian.f32(region, at + 1);
  }

  /** A valid region of random widths, arbitrary bases and steps, and random codes. */
  private static byte[] boundedRegion(int n, SplittableRandom random) {
    int blocks = (n + ErrorBoundedCodec.BLOCK - 1) / ErrorBoundedCodec.BLOCK;
    ByteBuffer out = ByteBuffer.allocate(8 + 4 * blocks + blocks * 513).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(0, blocks);
    out.position(8 + 4 * blocks);
    for (int k = 0; k < blocks; k++) {
      out.putInt(4 + 4 * k, out.position());
      int m = Math.min(ErrorBoundedCodec.BLOCK, n - ErrorBoundedCodec.BLOCK * k);
      int w = WIDTHS[random.nextInt(WIDTHS.length)];
      byte[] block = new byte[ErrorBoundedCodec.blockBytes(w, m)];
      random.nextBytes(block);
      block[0] = (byte) w;
      if (w != ErrorBoundedCodec.VERBATIM) {
        LittleEndian.putFloat(block, 1, arbitraryFloat(random));
      }
      if (w >= 1 && w <= ErrorBoundedCodec.MAX_WIDTH) {
        LittleEndian.putFloat(block, 5, arbitraryFloat(random));
      }
      out.put(block);
    }
    out.putInt(4 + 4 * blocks, out.position());
    byte[] region = new byte[out.position()];
    out.flip().get(region);
    return region;
  }

  /** A special value, any bit pattern, or a value of ordinary size. */
  private static float arbitraryFloat(SplittableRandom random) {
    switch (random.nextInt(3)) {
      case 0:
        return SPECIAL_FLOATS[random.nextInt(SPECIAL_FLOATS.length)];
      case 1:
        return Float.intBitsToFloat(random.nextInt());
      default:
        return (float) Math.scalb(random.nextGaussian(), random.nextInt(-30, 10));
    }
  }

  /**
   * Finite values in runs of a kind: one repeated value (a constant block), a signal with noise at a
   * scale anywhere from subnormal to near the largest float, values of mixed magnitude and signed
   * zeros, or multiples of a power of two (whose codes fall on ties).
   */
  private static float[] sensorValues(int n, SplittableRandom random) {
    float[] x = new float[n];
    for (int i = 0; i < n; ) {
      int run = Math.min(n - i, 1 + random.nextInt(200));
      float scale = (float) Math.scalb(1.0, random.nextInt(-149, 126));
      float offset = random.nextBoolean() ? 0f : (float) random.nextGaussian() * scale * random.nextInt(1, 1000);
      int kind = random.nextInt(4);
      for (int j = i; j < i + run; j++) {
        float v;
        switch (kind) {
          case 0:
            v = offset;
            break;
          case 1:
            v = offset + (float) (Math.sin(j * 0.05) + 0.1 * random.nextGaussian()) * scale;
            break;
          case 2:
            float special = SPECIAL_FLOATS[5 + random.nextInt(SPECIAL_FLOATS.length - 5)];
            v = random.nextInt(4) == 0 ? special : (float) random.nextGaussian() * scale;
            break;
          default:
            v = offset + random.nextInt(-64, 64) * scale;
            break;
        }
        x[j] = Float.isFinite(v) ? v : Math.copySign(Float.MAX_VALUE, v);
      }
      i += run;
    }
    return x;
  }
}
