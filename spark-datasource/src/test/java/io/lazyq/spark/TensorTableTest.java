package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TensorTableTest extends SparkTestBase {
  static final Path GGML = Paths.get(System.getProperty("lazyq.fixtures", "../../shared/fixtures"), "ggml");

  @Test
  void everyFixtureTensorDequantizesBitForBitAsGgml() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(GGML)) {
      files = s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
    }
    assertEquals(14, files.size(), "fixtures under " + GGML);
    int tensors = 0;
    for (Path f : files) {
      List<Row> rows = lazyq(f).select("name", "type", "shape", "elements", "data").collectAsList();
      assertEquals(f.getFileName().toString().equals("mixed.gguf") ? 13 : 3, rows.size(), f.toString());
      for (Row r : rows) {
        String name = r.getString(0);
        String type = r.getString(1);
        Path expected = name.startsWith("mixed.")
            ? GGML.resolve(type).resolve("blk.0.attn_q.weight.deq.f32")
            : GGML.resolve(type).resolve(name + ".deq.f32");
        float[] want = floats(expected);
        List<Float> data = r.getList(4);
        assertEquals(want.length, data.size(), name + " of " + f);
        assertEquals(want.length, r.getLong(3));
        for (int i = 0; i < want.length; i++) {
          assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(data.get(i)),
              f.getFileName() + " " + name + "[" + i + "]");
        }
        tensors++;
      }
    }
    assertEquals(13 * 3 + 13, tensors);
  }

  @Test
  void tensorsViewShapesAreOutermostFirst() {
    List<Row> rows = lazyq(GGML.resolve("q4_K.gguf")).select("name", "shape", "bytes", "offset")
        .orderBy("offset").collectAsList();
    assertEquals("blk.0.attn_q.weight", rows.get(0).getString(0));
    assertEquals(List.of(64L, 256L), rows.get(0).getList(1));
    assertEquals(List.of(8L, 8L, 256L), rows.get(2).getList(1));
  }

  @Test
  void rowsView() throws IOException {
    float[] want = floats(GGML.resolve("q8_0").resolve("blk.0.ffn_up.weight.deq.f32"));
    List<Row> rows = lazyq(GGML.resolve("q8_0.gguf"), "view", "rows")
        .where("tensor = 'blk.0.ffn_up.weight'").orderBy("row").collectAsList();
    assertEquals(32, rows.size());
    for (Row r : rows) {
      List<Float> values = r.getList(2);
      assertEquals(512, values.size());
      for (int i = 0; i < 512; i++) {
        assertEquals(want[(int) r.getLong(1) * 512 + i], values.get(i));
      }
    }
  }

  @Test
  void metadataView() {
    List<Row> rows = lazyq(GGML.resolve("f32.gguf"), "view", "metadata").collectAsList();
    assertTrue(rows.size() >= 16, rows.toString());
    assertTrue(rows.stream().anyMatch(r -> r.getString(2).startsWith("array<")), rows.toString());
  }

  @Test
  void safetensorsIsDetectedByItsHeader() throws IOException {
    Path file = dir.resolve("weights.bin");
    byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}"
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + 24).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header);
    for (int i = 0; i < 6; i++) {
      b.putFloat(i * 1.5f);
    }
    Files.write(file, b.array());
    Row r = lazyq(file).select("name", "type", "shape", "data").first();
    assertEquals("w", r.getString(0));
    assertEquals(List.of(2L, 3L), r.getList(2));
    assertArrayEquals(new float[] {0, 1.5f, 3, 4.5f, 6, 7.5f}, LazyQReadTest.floats(r.getList(3)));
  }

  static float[] floats(Path f) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    float[] a = new float[b.remaining() / 4];
    b.asFloatBuffer().get(a);
    return a;
  }
}
