package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazyq.tensor.Fixtures;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensorfiles.TensorFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The tensor, quantize and inspect commands, run through picocli. */
class TensorCommandsTest {
  @TempDir Path dir;

  /** {@code lazyq tensor} reproduces ggml's own dequantized output for every fixture tensor, byte for byte. */
  @Test
  void tensorWritesGgmlsDequantizedFloats() throws Exception {
    String[] types = {"f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q2_K", "q3_K", "q4_K", "q5_K", "q6_K"};
    for (String type : types) {
      for (String tensor : new String[] {"blk.0.attn_q.weight", "blk.0.ffn_up.weight", "blk.0.mixed.weight"}) {
        assertTensorCommand(type + ".gguf", tensor, Fixtures.ggml().resolve(type).resolve(tensor + ".deq.f32"));
      }
      assertTensorCommand("mixed.gguf", "mixed." + type,
          Fixtures.ggml().resolve(type).resolve("blk.0.attn_q.weight.deq.f32"));
    }
  }

  private void assertTensorCommand(String file, String tensor, Path expected) throws Exception {
    Path out = dir.resolve(file + "." + tensor + ".f32");
    int code = new CommandLine(new TensorCommand()).execute(
        Fixtures.ggml().resolve(file).toString(), tensor, "--out", out.toString());
    assertEquals(0, code, file + " " + tensor);
    assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out), file + " " + tensor);
  }

  @Test
  void quantizePlanWritesNothing() {
    Path out = dir.resolve("out.gguf");
    int code = new CommandLine(new QuantizeCommand()).execute(
        Fixtures.ggml().resolve("f32.gguf").toString(), out.toString(), "--type", "q8_0",
        "--plan");
    assertEquals(0, code);
    assertTrue(Files.notExists(out));
    assertEquals(2, new CommandLine(new QuantizeCommand()).execute(
        Fixtures.ggml().resolve("f32.gguf").toString(), out.toString(), "--type", "q4_K"));
  }

  @Test
  void quantizeWritesAGguf() throws Exception {
    Path out = dir.resolve("out.gguf");
    assertEquals(0, new CommandLine(new QuantizeCommand()).execute(
        Fixtures.ggml().resolve("f32.gguf").toString(), out.toString(), "--type", "q8_0"));
    try (TensorFile f = TensorFiles.open(out)) {
      assertEquals("q8_0", f.require("blk.0.attn_q.weight").type().label());
      assertEquals(16, f.metadata().size());
    }
  }

  @Test
  void summaryAsJson() throws Exception {
    try (TensorFile f = TensorFiles.open(Fixtures.ggml().resolve("mixed.gguf"))) {
      JsonNode j = new ObjectMapper().readTree(new TensorFileSummary(f).toJson());
      assertEquals("gguf", j.get("format").asText());
      assertEquals(64, j.get("alignment").asInt());
      assertEquals(13, j.get("tensors").size());
      JsonNode q = j.get("tensors").get(3);
      assertEquals("mixed.q8_0", q.get("name").asText());
      assertEquals("[64,256]", q.get("shape").toString());
      assertEquals(132288, q.get("offset").asLong());
      assertEquals(5, j.get("metadata").get("test.arr_i32").get("length").asInt());
      assertTrue(new TensorFileSummary(f).toText().contains("mixed.q6_K"));
      assertEquals(0, f.mappedBytes());
    }
  }
}
