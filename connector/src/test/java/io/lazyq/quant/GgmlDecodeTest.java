package io.lazyq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every decoder against ggml's own {@code to_float} output, bit for bit. */
class GgmlDecodeTest {
  static Stream<Arguments> cases() {
    return GgmlFixtures.TYPES.stream()
        .flatMap(t -> GgmlFixtures.TENSORS.stream().map(n -> Arguments.of(t, n)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void decodesBitExactFromHeapAndDirectBuffers(QuantType type, String tensor) throws Exception {
    byte[] q = GgmlFixtures.quantized(type, tensor);
    float[] expected = GgmlFixtures.dequantized(type, tensor);
    for (ByteBuffer region : new ByteBuffer[] {heap(q), direct(q)}) {
      type.codec().validate(region, expected.length);
      float[] actual = new float[expected.length];
      type.codec().decode(region, 0, expected.length, actual, 0);
      assertBitsEqual(type + " " + tensor + (region.isDirect() ? " (direct)" : " (heap)"),
          expected, 0, actual, 0, expected.length);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void decodesUnalignedSubRanges(QuantType type, String tensor) {
    byte[] q = GgmlFixtures.quantized(type, tensor);
    float[] expected = GgmlFixtures.dequantized(type, tensor);
    int n = expected.length;
    int[][] ranges = {{1, 100}, {31, 2}, {33, 0}, {255, 300}, {257, 1}, {1000, 5000}, {n - 7, 7},
        {n - 300, 300}, {0, 31}, {96, 160}};
    for (ByteBuffer region : new ByteBuffer[] {heap(q), direct(q)}) {
      for (int[] r : ranges) {
        float[] actual = new float[r[1] + 3];
        type.codec().decode(region, r[0], r[1], actual, 3);
        assertBitsEqual(type + " " + tensor + " values [" + r[0] + ", " + (r[0] + r[1]) + ")",
            expected, r[0], actual, 3, r[1]);
      }
    }
  }

  static ByteBuffer heap(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static ByteBuffer direct(byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(bytes).clear();
    return b;
  }

  static void assertBitsEqual(String what, float[] expected, int eOff, float[] actual, int aOff, int n) {
    for (int i = 0; i < n; i++) {
      int e = Float.floatToRawIntBits(expected[eOff + i]);
      int a = Float.floatToRawIntBits(actual[aOff + i]);
      if (e != a) {
        fail(what + ": first difference at value " + (eOff + i) + ": expected " + expected[eOff + i]
            + " (0x" + Integer.toHexString(e) + "), got " + actual[aOff + i] + " (0x"
            + Integer.toHexString(a) + ")");
      }
    }
    assertEquals(n, n);
  }
}
