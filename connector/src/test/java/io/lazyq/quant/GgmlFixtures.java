package io.lazyq.quant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The reference tensors ggml wrote ({@code fixtures/ggml/README.md}). */
final class GgmlFixtures {
  static final List<String> TENSORS =
      List.of("blk.0.attn_q.weight", "blk.0.ffn_up.weight", "blk.0.mixed.weight");

  static final List<QuantType> TYPES = List.of(QuantType.F32, QuantType.F16, QuantType.BF16,
      QuantType.Q8_0, QuantType.Q4_0, QuantType.Q4_1, QuantType.Q5_0, QuantType.Q5_1,
      QuantType.Q2_K, QuantType.Q3_K, QuantType.Q4_K, QuantType.Q5_K, QuantType.Q6_K);

  private GgmlFixtures() {}

  static Path root() {
    String dir = System.getProperty("lazyq.fixtures");
    if (dir == null) {
      throw new IllegalStateException("system property lazyq.fixtures is not set (surefire sets it)");
    }
    return Path.of(dir, "ggml");
  }

  static byte[] quantized(QuantType type, String tensor) {
    return read(root().resolve(type.label()).resolve(tensor + ".q.bin"));
  }

  static float[] dequantized(QuantType type, String tensor) {
    return floats(read(root().resolve(type.label()).resolve(tensor + ".deq.f32")));
  }

  static float[] source(String tensor) {
    return floats(read(root().resolve("src").resolve(tensor + ".f32")));
  }

  static float[] floats(byte[] bytes) {
    float[] f = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
