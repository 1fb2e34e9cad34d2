package io.lazyq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The encoders against the bytes ggml's reference quantizers wrote, byte for byte. */
class GgmlEncodeTest {
  static Stream<Arguments> cases() {
    return Stream.of(QuantType.F32, QuantType.F16, QuantType.BF16, QuantType.Q8_0, QuantType.Q4_0,
            QuantType.Q4_1, QuantType.Q5_0, QuantType.Q5_1)
        .flatMap(t -> GgmlFixtures.TENSORS.stream().map(n -> Arguments.of(t, n)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void encodesByteExact(QuantType type, String tensor) {
    float[] src = GgmlFixtures.source(tensor);
    byte[] expected = GgmlFixtures.quantized(type, tensor);
    // A heap buffer whose array starts 3 bytes before it (the kernels write into the array), and a
    // direct one (written through a scratch array).
    for (ByteBuffer dst : new ByteBuffer[] {ByteBuffer.allocate(expected.length + 11).position(3).slice(),
        ByteBuffer.allocateDirect(expected.length + 8)}) {
      dst.position(5);
      int written = type.codec().encode(src, 0, src.length, dst);
      String what = type + " " + tensor + (dst.isDirect() ? " (direct)" : " (heap)");
      assertEquals(expected.length, written, what + ": bytes written");
      assertEquals(5 + written, dst.position(), "position advanced past the region");
      byte[] actual = new byte[written];
      dst.get(5, actual);
      for (int i = 0; i < expected.length; i++) {
        if (expected[i] != actual[i]) {
          int block = i / type.blockBytes();
          fail(what + ": first difference at byte " + i + " (block " + block + ", byte "
              + (i % type.blockBytes()) + "): expected " + (expected[i] & 0xFF) + ", got " + (actual[i] & 0xFF));
        }
      }
    }
  }
}
