package io.lazyq.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The vector kernels against the scalar ones, bit for bit, on arbitrary blocks: scales that are
 * NaN, infinite, subnormal or -0.0, through the codecs from heap and direct regions. Runs where the
 * vector kernels load (the build's vector-kernels test execution), and is skipped elsewhere.
 */
@AddLifecycleHook(VectorKernelsTest.OnlyWithVectorKernels.class)
class VectorKernelsTest {
  private static final Map<QuantType, BlockCodec> SCALAR = BlockCodecs.on(new ScalarKernels());
  private static final Map<QuantType, BlockCodec> VECTOR = Kernels.vector().map(BlockCodecs::on).orElse(null);

  private static final List<QuantType> DECODERS = List.of(QuantType.F16, QuantType.BF16, QuantType.Q8_0,
      QuantType.Q4_0, QuantType.Q4_1, QuantType.Q5_0, QuantType.Q5_1, QuantType.Q2_K, QuantType.Q3_K,
      QuantType.Q4_K, QuantType.Q5_K, QuantType.Q6_K, QuantType.AFFINE8, QuantType.AFFINE4);
  /** The types whose values add a scaled code to an offset, both of which may be NaN. */
  private static final List<QuantType> TWO_NAN_TYPES = List.of(QuantType.Q4_1, QuantType.Q5_1,
      QuantType.Q2_K, QuantType.Q4_K, QuantType.Q5_K, QuantType.AFFINE8, QuantType.AFFINE4);
  private static final List<QuantType> ENCODERS = List.of(QuantType.Q8_0, QuantType.Q4_0, QuantType.Q4_1);

  /** Skips the properties where the vector kernels do not load. */
  static final class OnlyWithVectorKernels implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      return VECTOR == null ? SkipResult.skip("the vector kernels do not load in this JVM") : SkipResult.doNotSkip();
    }
  }

  /** Offsets of the float16 scales (and mins) in each block. */
  private static final Map<QuantType, int[]> HALF_FIELDS = Map.ofEntries(Map.entry(QuantType.Q8_0, new int[] {0}),
      Map.entry(QuantType.Q4_0, new int[] {0}), Map.entry(QuantType.Q4_1, new int[] {0, 2}),
      Map.entry(QuantType.Q5_0, new int[] {0}), Map.entry(QuantType.Q5_1, new int[] {0, 2}),
      Map.entry(QuantType.Q2_K, new int[] {80, 82}), Map.entry(QuantType.Q3_K, new int[] {108}),
      Map.entry(QuantType.Q4_K, new int[] {0, 2}), Map.entry(QuantType.Q5_K, new int[] {0, 2}),
      Map.entry(QuantType.Q6_K, new int[] {208}), Map.entry(QuantType.F16, new int[] {0}),
      Map.entry(QuantType.BF16, new int[] {0}));

  private static final short[] SPECIAL_HALVES = {0x7C00, (short) 0xFC00, 0x7E00, 0x7C01, (short) 0xFFFF,
      0x0001, 0x03FF, (short) 0x8001, (short) 0x8000, 0x0000, 0x7BFF, 0x0400, 0x3C00};
  private static final float[] SPECIAL_FLOATS = {Float.NaN, Float.intBitsToFloat(0x7FA00001),
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f,
      Float.MIN_NORMAL, -0.0f, 0.0f, Float.MAX_VALUE, -Float.MAX_VALUE, 1f};

  @Property(tries = 400)
  void decodersAgree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks) {
    SplittableRandom random = new SplittableRandom(seed);
    for (QuantType type : DECODERS) {
      int n = type.blockSize() == 1 ? blocks * 37 + random.nextInt(37) : blocks * type.blockSize();
      byte[] bytes = randomBlocks(type, n, random);
      int first = random.nextInt(n);
      int count = random.nextInt(n - first + 1);
      for (ByteBuffer region : List.of(GgmlDecodeTest.heap(bytes), GgmlDecodeTest.direct(bytes))) {
        assertSameBits(type, region, 0, n);
        assertSameBits(type, region, first, count);
      }
    }
  }

  /** Up to 40 blocks: the vector encoders work in groups of 8 or 16 blocks, and a shorter last group. */
  @Property(tries = 400)
  void encodersAgree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1300) int n) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = randomFinite(n, random);
    for (QuantType type : ENCODERS) {
      for (boolean direct : new boolean[] {false, true}) {
        assertArrayEquals(encode(SCALAR.get(type), x, direct), encode(VECTOR.get(type), x, direct),
            type + (direct ? " into a direct buffer" : " into a heap buffer"));
      }
    }
  }

  /**
   * A NaN or an infinity among finite values: both paths refuse the same first one, at the same
   * index, before writing anything.
   */
  @Property(tries = 200)
  void encodersRefuseTheSameValue(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1300) int n) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = randomFinite(n, random);
    for (int bad = random.nextInt(1, 4); bad > 0; bad--) {
      x[random.nextInt(n)] = new float[] {Float.NaN, Float.intBitsToFloat(0xFFC00001),
          Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[random.nextInt(4)];
    }
    int first = 0;
    while (Float.isFinite(x[first])) {
      first++;
    }
    for (QuantType type : ENCODERS) {
      for (boolean direct : new boolean[] {false, true}) {
        QuantizationException scalar = refusal(SCALAR.get(type), x, direct);
        QuantizationException vector = refusal(VECTOR.get(type), x, direct);
        assertEquals(first, scalar.index(), type.label());
        assertEquals(first, vector.index(), type.label());
        assertEquals(scalar.getMessage(), vector.getMessage());
      }
    }
  }

  /**
   * The kernels alone, on blocks of arbitrary floats: NaN, infinities, -0.0, subnormals, whole
   * blocks of zeros. Both refuse at the same first block holding a NaN or an infinity (the
   * heap-buffer path encodes straight into the destination and relies on it), and write the same
   * bytes where every value is finite.
   */
  @Property(tries = 400)
  void encoderKernelsAgreeOnArbitraryFloats(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = arbitraryBlocks(blocks, random);
    for (Kernels vector : vectorKernels()) {
      encoderKernelsAgree(x, blocks, vector);
    }
  }

  /**
   * The vector kernels this JVM loads, and {@code ConvertingVectorKernels} if they are others: it
   * loads from JDK 19, but runs on every JDK (on 17, its float-to-int conversion on the Vector API's
   * Java fallback).
   */
  private static List<Kernels> vectorKernels() {
    Kernels loaded = Kernels.vector().orElseThrow();
    Kernels converting = KernelChoice.load(() -> "io.lazyq.quant.ConvertingVectorKernels");
    return loaded.getClass() == converting.getClass() ? List.of(loaded) : List.of(loaded, converting);
  }

  /**
   * Every half-integer tie k + 0.5 up to 127.5 in magnitude, every integer, the floats next to
   * each, 0.5 - 2^-25, and both zeros: in blocks with 127 first, whose scale is 1, so the products
   * are the values themselves; each code is C's {@code roundf}, computed here in double.
   */
  @Example
  void q8_0RoundsTiesAndTheirNeighboursAsRoundf() {
    List<Float> values = new ArrayList<>(List.of(0.49999997f, -0.49999997f, 0f, -0f));
    for (int k = -128; k <= 127; k++) {
      for (float v : new float[] {k, Math.nextUp((float) k), Math.nextDown((float) k), k + 0.5f,
          Math.nextUp(k + 0.5f), Math.nextDown(k + 0.5f)}) {
        if (Math.abs(v) <= 127f) {
          values.add(v);
        }
      }
    }
    int blocks = (values.size() + 30) / 31;
    float[] x = new float[32 * blocks];
    byte[] expected = new byte[34 * blocks];
    for (int b = 0; b < blocks; b++) {
      x[32 * b] = 127f;
      LittleEndian.putShort(expected, 34 * b, (short) 0x3C00);
      expected[34 * b + 2] = 127;
      for (int j = 1; j < 32 && 31 * b + j - 1 < values.size(); j++) {
        float v = values.get(31 * b + j - 1);
        x[32 * b + j] = v;
        expected[34 * b + 2 + j] = (byte) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
      }
    }
    List<Kernels> all = new ArrayList<>(vectorKernels());
    all.add(new ScalarKernels());
    for (Kernels kernels : all) {
      byte[] actual = new byte[34 * blocks];
      assertEquals(-1, kernels.encodeQ8_0(x, 0, blocks, actual, 0), kernels.describe());
      assertArrayEquals(expected, actual, kernels.describe());
    }
  }

  private static void encoderKernelsAgree(float[] x, int blocks, Kernels vector) {
    Kernels scalar = new ScalarKernels();
    byte[] expected = new byte[34 * blocks];
    byte[] actual = new byte[34 * blocks];
    int refused = firstNonFiniteBlock(x);
    assertEquals(refused, scalar.encodeQ8_0(x, 0, blocks, expected, 0), "q8_0 scalar");
    assertEquals(refused, vector.encodeQ8_0(x, 0, blocks, actual, 0), "q8_0 vector");
    if (refused < 0) {
      assertArrayEquals(expected, actual, "q8_0");
    }
    // Without the blocks that are not finite, whose first has been found: the rest again.
    int finite = refused < 0 ? blocks : refused;
    if (finite > 0) {
      assertEquals(-1, scalar.encodeQ4_0(x, 0, finite, expected, 0), "q4_0 scalar");
      assertEquals(-1, vector.encodeQ4_0(x, 0, finite, actual, 0), "q4_0 vector");
      assertArrayEquals(Arrays.copyOf(expected, 18 * finite), Arrays.copyOf(actual, 18 * finite), "q4_0");
      assertEquals(-1, vector.encodeQ8_0(x, 0, finite, actual, 0), "q8_0 vector");
      assertEquals(-1, scalar.encodeQ8_0(x, 0, finite, expected, 0), "q8_0 scalar");
      assertArrayEquals(Arrays.copyOf(expected, 34 * finite), Arrays.copyOf(actual, 34 * finite), "q8_0");
    }
    assertEquals(refused, scalar.encodeQ4_0(x, 0, blocks, expected, 0), "q4_0 scalar");
    assertEquals(refused, vector.encodeQ4_0(x, 0, blocks, actual, 0), "q4_0 vector");
  }

  /** Blocks of 32: all zeros (either sign), a few special values among Gaussians, or bit patterns of any float. */
  private static float[] arbitraryBlocks(int blocks, SplittableRandom random) {
    float[] x = new float[32 * blocks];
    for (int b = 0; b < blocks; b++) {
      int kind = random.nextInt(4);
      float scale = (float) Math.scalb(1.0, random.nextInt(-150, 128));
      for (int i = 32 * b; i < 32 * b + 32; i++) {
        x[i] = switch (kind) {
          case 0 -> random.nextBoolean() ? 0f : -0f;
          case 1 -> Float.intBitsToFloat(random.nextInt());
          default -> random.nextInt(40) == 0 ? SPECIAL_FLOATS[random.nextInt(SPECIAL_FLOATS.length)]
              : (float) random.nextGaussian() * scale;
        };
      }
    }
    return x;
  }

  private static int firstNonFiniteBlock(float[] x) {
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        return i / 32;
      }
    }
    return -1;
  }

  /** Encodes {@code x}, which holds a NaN or an infinity, expecting the refusal and nothing written. */
  static QuantizationException refusal(BlockCodec codec, float[] x, boolean direct) {
    int size = (int) codec.maxEncodedBytes(x.length);
    ByteBuffer dst = (direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size)).order(ByteOrder.LITTLE_ENDIAN);
    QuantizationException e = assertThrows(QuantizationException.class, () -> codec.encode(x, 0, x.length, dst));
    assertEquals(0, dst.position(), "bytes written before the refusal");
    return e;
  }

  /**
   * Blocks of half-integers and integers up to 127 with 127 itself in each, times a power of two:
   * the scale is exact, so each product is a tie or an integer, where rounding half away from
   * zero, to even and down part.
   */
  @Property(tries = 200)
  void encodersAgreeOnTies(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks) {
    SplittableRandom random = new SplittableRandom(seed);
    float scale = (float) Math.scalb(1.0, random.nextInt(-60, 60));
    float[] x = new float[32 * blocks];
    for (int i = 0; i < x.length; i++) {
      float v = i % 32 == random.nextInt(32) ? 127f : random.nextInt(-254, 255) / 2f;
      x[i] = v * scale;
    }
    for (QuantType type : ENCODERS) {
      assertArrayEquals(encode(SCALAR.get(type), x, false), encode(VECTOR.get(type), x, false), type.label());
    }
  }

  private static void assertSameBits(QuantType type, ByteBuffer region, int first, int count) {
    float[] expected = new float[count];
    float[] actual = new float[count];
    SCALAR.get(type).decode(region, first, count, expected, 0);
    VECTOR.get(type).decode(region, first, count, actual, 0);
    assertSameBits(type + (region.isDirect() ? " (direct)" : " (heap)"), type, expected, actual);
  }

  /**
   * Bit for bit, except that where two NaNs meet (a NaN scale times a code plus a NaN offset) either
   * may come out: Java does not say which NaN {@code a + b} returns, x86 returns its first operand,
   * and which operand is first is the JIT's choice, for the scalar loop too (the same loop gave
   * the scale's NaN in one run and the offset's in another).
   */
  private static void assertSameBits(String what, QuantType type, float[] expected, float[] actual) {
    boolean twoNaNs = TWO_NAN_TYPES.contains(type);
    for (int i = 0; i < expected.length; i++) {
      int e = Float.floatToRawIntBits(expected[i]);
      int a = Float.floatToRawIntBits(actual[i]);
      if (e != a && !(twoNaNs && Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
        fail(what + ": first difference at value " + i + ": expected 0x" + Integer.toHexString(e)
            + ", got 0x" + Integer.toHexString(a));
      }
    }
  }

  /** The bytes {@code codec} writes for {@code x} into a heap or direct buffer. */
  static byte[] encode(BlockCodec codec, float[] x, boolean direct) {
    int size = (int) codec.maxEncodedBytes(x.length);
    ByteBuffer dst = (direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size))
        .order(ByteOrder.LITTLE_ENDIAN);
    codec.encode(x, 0, x.length, dst);
    byte[] bytes = new byte[dst.flip().remaining()];
    dst.get(bytes);
    return bytes;
  }

  /** Random bytes, with about half of the scale fields made special values. */
  static byte[] randomBlocks(QuantType type, int n, SplittableRandom random) {
    byte[] bytes = new byte[(int) type.byteSize(n)];
    random.nextBytes(bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    boolean affine = type == QuantType.AFFINE8 || type == QuantType.AFFINE4;
    for (int at = 0; at < bytes.length; at += type.blockBytes()) {
      if (affine) {
        for (int field = 0; field < 8; field += 4) {
          if (random.nextBoolean()) {
            b.putFloat(at + field, SPECIAL_FLOATS[random.nextInt(SPECIAL_FLOATS.length)]);
          }
        }
      } else {
        for (int field : HALF_FIELDS.get(type)) {
          if (random.nextInt(4) == 0) {
            b.putShort(at + field, SPECIAL_HALVES[random.nextInt(SPECIAL_HALVES.length)]);
          }
        }
      }
    }
    return bytes;
  }

  /**
   * Finite values of every magnitude: signed zeros, subnormals (whose scales overflow when
   * inverted), the largest floats, and repeats of one magnitude with either sign (ties for the
   * signed maximum).
   */
  private static float[] randomFinite(int n, SplittableRandom random) {
    float[] x = new float[n];
    float scale = (float) Math.pow(10, random.nextInt(-45, 39));
    float tie = (float) random.nextGaussian() * scale;
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(6)) {
        case 0 -> x[i] = random.nextBoolean() ? 0.0f : -0.0f;
        case 1 -> x[i] = random.nextBoolean() ? tie : -tie;
        case 2 -> {
          float v = SPECIAL_FLOATS[random.nextInt(SPECIAL_FLOATS.length)];
          x[i] = Float.isFinite(v) ? v : 0f;
        }
        default -> x[i] = (float) random.nextGaussian() * scale;
      }
      if (!Float.isFinite(x[i])) {
        x[i] = Float.MAX_VALUE;
      }
    }
    return x;
  }

  /**
   * Every one of the 2^16 halves, against {@link Fp16#toFloat}'s table (integer arithmetic, NaN
   * payloads kept and made quiet), often enough that C2 compiles the kernel; at every offset of
   * the first vector, so that each half passes through each lane and the scalar tail.
   */
  @Example
  void everyHalfWidensAsTheTable() {
    byte[] halves = new byte[2 * (1 << 16)];
    float[] expected = new float[1 << 16];
    for (int h = 0; h < 1 << 16; h++) {
      halves[2 * h] = (byte) h;
      halves[2 * h + 1] = (byte) (h >> 8);
      expected[h] = Fp16.toFloat(h);
    }
    ByteBuffer region = GgmlDecodeTest.heap(halves);
    float[] actual = new float[1 << 16];
    for (int round = 0; round < 300; round++) {
      int first = round % 17;
      VECTOR.get(QuantType.F16).decode(region, first, (1 << 16) - first, actual, first);
      for (int h = first; h < 1 << 16; h++) {
        if (Float.floatToRawIntBits(expected[h]) != Float.floatToRawIntBits(actual[h])) {
          fail("half 0x" + Integer.toHexString(h) + " round " + round + ": expected 0x"
              + Integer.toHexString(Float.floatToRawIntBits(expected[h])) + ", got 0x"
              + Integer.toHexString(Float.floatToRawIntBits(actual[h])));
        }
      }
    }
  }

  /** Enough calls that C2 compiles the kernels, whose intrinsics could differ from the interpreter's Java. */
  @Property(tries = 1)
  void decodersAgreeOnceCompiled(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (QuantType type : DECODERS) {
      int n = type.blockSize() == 1 ? 64 + 7 : 2 * type.blockSize();
      float[] expected = new float[n];
      float[] actual = new float[n];
      for (int round = 0; round < 20_000; round++) {
        ByteBuffer region = GgmlDecodeTest.heap(randomBlocks(type, n, random));
        SCALAR.get(type).decode(region, 0, n, expected, 0);
        VECTOR.get(type).decode(region, 0, n, actual, 0);
        assertSameBits(type + " round " + round, type, expected, actual);
      }
    }
    for (QuantType type : ENCODERS) {
      for (int round = 0; round < 20_000; round++) {
        // A whole group of 16 blocks and a shorter one.
        float[] x = randomFinite(32 * 19, random);
        assertArrayEquals(encode(SCALAR.get(type), x, false), encode(VECTOR.get(type), x, false),
            type + " round " + round);
      }
    }
  }
}
