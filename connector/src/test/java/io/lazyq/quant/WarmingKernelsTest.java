package io.lazyq.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which path each kernel of {@link WarmingKernels} takes: scalar from its first call, with one
 * warming handed to the warming thread (here a queue the test runs), vector once warmed; the same
 * bits on both. Needs the vector kernels (the build's test JVMs read the module and run C2).
 */
class WarmingKernelsTest {
  private static final List<QuantType> DECODERS = List.of(QuantType.F16, QuantType.BF16, QuantType.Q8_0,
      QuantType.Q4_0, QuantType.Q4_1, QuantType.Q5_0, QuantType.Q5_1, QuantType.Q2_K, QuantType.Q3_K,
      QuantType.Q4_K, QuantType.Q5_K, QuantType.Q6_K, QuantType.AFFINE8, QuantType.AFFINE4);
  private static final Map<QuantType, BlockCodec> SCALAR = BlockCodecs.on(new ScalarKernels());

  private final List<Runnable> queued = new ArrayList<>();
  private WarmingKernels kernels;
  private Map<QuantType, BlockCodec> codecs;

  @BeforeEach
  void kernels() {
    Kernels vector = Kernels.vector().orElse(null);
    assumeTrue(vector != null, "the vector kernels do not load in this JVM");
    kernels = new WarmingKernels(new ScalarKernels(), vector, queued::add);
    codecs = BlockCodecs.on(kernels);
  }

  @Test
  void eachDecoderIsScalarFromItsFirstCallAndWarmedOnce() {
    for (QuantType type : DECODERS) {
      int before = queued.size();
      decodeAndCompare(type, 3, false);
      assertEquals(before + 1, queued.size(), type + ": its first call hands one warming to the thread");
      decodeAndCompare(type, 5, false);
      assertEquals(before + 1, queued.size(), type + ": warmed once");
      assertFalse(kernels.onVector(type.label()), type.label());
    }
    for (QuantType type : DECODERS) {
      assertFalse(kernels.onVector(type.label()), type + " is not warmed before its thread runs");
    }
  }

  @Test
  void aWarmedKernelRunsOnVectorsAndTheOthersStayScalar() {
    decodeAndCompare(QuantType.Q8_0, 1, false);
    decodeAndCompare(QuantType.Q4_0, 1, false);
    assertEquals(2, queued.size());
    queued.get(0).run();
    assertTrue(kernels.onVector("q8_0"), "the compiled q8_0 vector kernel is faster than the scalar one");
    assertFalse(kernels.onVector("q4_0"), "q4_0's warming has not run");
    for (int seed = 10; seed < 20; seed++) {
      decodeAndCompare(QuantType.Q8_0, seed, true);
      decodeAndCompare(QuantType.Q4_0, seed, false);
    }
    assertEquals(2, queued.size(), "no warming after the first");
  }

  /**
   * The q8_0 encoder's warming (two blocks per call) ends on vectors: its group arrays, allocated
   * per call, once made the vector kernel slower than the scalar one on so few blocks.
   */
  @Test
  void theQ8_0EncoderIsWarmedOntoVectors() {
    float[] values = new float[32 * 40 + 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.sin(i * 0.37) * (i % 7 + 1);
    }
    byte[] expected = encode(SCALAR.get(QuantType.Q8_0), values);
    assertArrayEquals(expected, encode(codecs.get(QuantType.Q8_0), values));
    assertEquals(1, queued.size());
    queued.get(0).run();
    assertTrue(kernels.onVector("encode q8_0"), "the compiled q8_0 vector encoder is faster than the scalar one");
    assertArrayEquals(expected, encode(codecs.get(QuantType.Q8_0), values));
  }

  private static byte[] encode(BlockCodec codec, float[] values) {
    ByteBuffer out = ByteBuffer.allocate((int) codec.maxEncodedBytes(values.length)).order(ByteOrder.LITTLE_ENDIAN);
    codec.encode(values, 0, values.length, out);
    return out.array();
  }

  @Test
  void halvesAreReadInPlaceOnlyOnceWarmed() {
    int n = 300;
    ByteBuffer direct = ByteBuffer.allocateDirect(2 * n).order(ByteOrder.LITTLE_ENDIAN);
    byte[] bytes = random(2 * n, 7);
    direct.put(bytes).flip();
    float[] dst = new float[n];
    assertFalse(kernels.decodeInPlace(QuantType.F16, direct, 0, n, dst, 0), "cold: the caller copies");
    assertEquals(1, queued.size());
    queued.get(0).run();
    assertTrue(kernels.onVector("f16"));
    // Only the kernels that read buffers (JDK 17 and 18) decode in place, warmed or not.
    boolean inPlace = Kernels.vector().orElseThrow().decodeInPlace(QuantType.F16, direct, 0, n, new float[n], 0);
    assertEquals(inPlace, kernels.decodeInPlace(QuantType.F16, direct, 0, n, dst, 0));
    if (inPlace) {
      float[] expected = new float[n];
      SCALAR.get(QuantType.F16).decode(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), 0, n, expected, 0);
      assertArrayEquals(expected, dst);
    }
    assertFalse(kernels.decodeInPlace(QuantType.Q8_0, direct, 0, 32, dst, 0), "q8_0 is copied");
  }

  @Test
  void encodersAndTheFiniteCheckAreWarmedLikeDecoders() {
    float[] values = new float[96];
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    values[70] = Float.NaN;
    assertEquals(70, kernels.firstNonFinite(values, 0, values.length));
    values[70] = 1f;
    for (QuantType type : List.of(QuantType.Q8_0, QuantType.Q4_0, QuantType.Q4_1)) {
      ByteBuffer expected = ByteBuffer.allocate((int) type.byteSize(values.length)).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer actual = ByteBuffer.allocate(expected.capacity()).order(ByteOrder.LITTLE_ENDIAN);
      SCALAR.get(type).encode(values, 0, values.length, expected);
      codecs.get(type).encode(values, 0, values.length, actual);
      assertArrayEquals(expected.array(), actual.array(), type.label());
      assertFalse(kernels.onVector("encode " + type.label()));
    }
    // The codecs' own finite check goes through Kernels.SELECTED, not these kernels: one warming here.
    assertEquals(4, queued.size(), "one warming per encoder and one for the finite check");
  }

  /**
   * The error_bounded decoder and the affine encoders: scalar from their first call, one warming
   * each, the same bits before and after the warming has run.
   */
  @Test
  void theSensorKernelsAreWarmedLikeTheOthers() {
    int n = 1000;
    float[] values = new float[n];
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      values[i] = (float) (Math.sin(i * 0.01) + 0.01 * random.nextGaussian());
    }
    ByteBuffer region = ByteBuffer.allocate((int) ErrorBoundedCodec.withBound(1e-3).maxEncodedBytes(n))
        .order(ByteOrder.LITTLE_ENDIAN);
    ErrorBoundedCodec.withBound(1e-3, new ScalarKernels()).encode(values, 0, n, region);
    region.flip();
    float[] expected = new float[n];
    SCALAR.get(QuantType.ERROR_BOUNDED).decode(region, 0, n, expected, 0);
    for (int round = 0; round < 2; round++) {
      float[] actual = new float[n];
      codecs.get(QuantType.ERROR_BOUNDED).decode(region, 0, n, actual, 0);
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "value " + i);
      }
      for (QuantType type : List.of(QuantType.AFFINE8, QuantType.AFFINE4)) {
        ByteBuffer scalar = ByteBuffer.allocate((int) type.byteSize(n)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer warming = ByteBuffer.allocate(scalar.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        SCALAR.get(type).encode(values, 0, n, scalar);
        codecs.get(type).encode(values, 0, n, warming);
        assertArrayEquals(scalar.array(), warming.array(), type.label());
      }
      if (round == 0) {
        assertEquals(3, queued.size(), "one warming for the decoder and one per encoder");
        for (String kernel : List.of("error_bounded", "encode affine8", "encode affine4")) {
          assertFalse(kernels.onVector(kernel), kernel + " is not warmed before its thread runs");
        }
        queued.forEach(Runnable::run);
      }
    }
    assertEquals(3, queued.size(), "no warming after the first");
  }

  /** Decodes arbitrary blocks of {@code type} through the warming kernels and compares with the scalar codec. */
  private void decodeAndCompare(QuantType type, int seed, boolean onVector) {
    int n = 3 * Math.max(type.blockSize(), 32);
    byte[] bytes = random((int) type.byteSize(n), seed);
    float[] expected = new float[n];
    float[] actual = new float[n];
    SCALAR.get(type).decode(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), 0, n, expected, 0);
    codecs.get(type).decode(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), 0, n, actual, 0);
    for (int i = 0; i < n; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          type + " value " + i + " (NaN payloads included)");
    }
    assertEquals(onVector, kernels.onVector(type.label()), type.label());
  }

  private static byte[] random(int n, int seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }
}
