package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensorfiles.TensorFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGUF tensors exported as Arrow rows equal ggml's own dequantized output, bit for bit. */
class TensorArrowReaderTest {
  private static final Path GGML = Path.of(System.getProperty("lazyq.fixtures"), "ggml");
  private static final List<String> TENSORS = List.of("blk.0.attn_q.weight", "blk.0.ffn_up.weight", "blk.0.mixed.weight");

  @TempDir Path dir;

  @Test
  void everyFixtureTensorRoundTripsThroughAnArrowFile() throws Exception {
    for (String type : List.of("f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q2_K", "q3_K", "q4_K",
        "q5_K", "q6_K")) {
      Path arrow = dir.resolve(type + ".arrow");
      try (BufferAllocator allocator = new RootAllocator()) {
        // Small batches, so that a tensor spans several.
        try (TensorArrowReader reader = TensorArrowReader.open(TensorFiles.open(GGML.resolve(type + ".gguf")), 4096, allocator)) {
          ArrowExport.writeFile(reader, arrow);
        }
        float[][] expected = TENSORS.stream().map(t -> floats(GGML.resolve(type).resolve(t + ".deq.f32"))).toArray(float[][]::new);
        int[] seen = new int[3];
        try (FileChannel ch = FileChannel.open(arrow); ArrowFileReader in = new ArrowFileReader(ch, allocator)) {
          VectorSchemaRoot root = in.getVectorSchemaRoot();
          while (in.loadNextBatch()) {
            VarCharVector names = (VarCharVector) root.getVector("tensor");
            BigIntVector rows = (BigIntVector) root.getVector("row");
            ListVector values = (ListVector) root.getVector("values");
            Float4Vector floats = (Float4Vector) values.getDataVector();
            for (int r = 0; r < root.getRowCount(); r++) {
              int t = TENSORS.indexOf(new String(names.get(r), java.nio.charset.StandardCharsets.UTF_8));
              long row = rows.get(r);
              int start = values.getElementStartIndex(r);
              int length = values.getElementEndIndex(r) - start;
              for (int i = 0; i < length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[t][(int) row * length + i]),
                    Float.floatToRawIntBits(floats.get(start + i)), type + " " + TENSORS.get(t) + " row " + row + " value " + i);
              }
              seen[t] += length;
            }
          }
        }
        for (int t = 0; t < 3; t++) {
          assertEquals(expected[t].length, seen[t], type + " " + TENSORS.get(t) + ": every value exported once");
        }
        assertEquals(0, allocator.getAllocatedMemory());
      }
    }
  }

  @Test
  void anIndependentReaderSeesTheSameRows() throws Exception {
    Path arrow = dir.resolve("q4_0.arrow");
    try (BufferAllocator allocator = new RootAllocator();
        TensorArrowReader reader = TensorArrowReader.open(TensorFiles.open(GGML.resolve("q4_0.gguf")), 1 << 14, allocator)) {
      ArrowExport.writeFile(reader, arrow);
    }
    JsonNode js = NodeArrow.read(arrow);
    assertEquals(64 + 32 + 64, js.get("rows").asInt());
    float[] ffn = floats(GGML.resolve("q4_0").resolve("blk.0.ffn_up.weight.deq.f32"));
    JsonNode row = js.get("columns").get("values").get(64 + 7);
    assertEquals("blk.0.ffn_up.weight", js.get("columns").get("tensor").get(64 + 7).asText());
    for (int i = 0; i < 512; i++) {
      assertEquals(ffn[7 * 512 + i], (float) row.get(i).asDouble(), "row 7 of ffn_up, value " + i);
    }
  }

  private static float[] floats(Path p) {
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
      float[] f = new float[b.remaining() / 4];
      b.asFloatBuffer().get(f);
      return f;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
