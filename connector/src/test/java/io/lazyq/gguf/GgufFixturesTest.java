package io.lazyq.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.tensor.Fixtures;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorSpec;
import io.lazyq.tensor.ValueType;
import io.lazyq.tensorfiles.TensorFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFixturesTest {

  @Test
  void everyTensorMatchesTheManifest() throws Exception {
    List<Fixtures.Row> rows = Fixtures.manifest();
    assertEquals(52, rows.size());
    for (Fixtures.Row row : rows) {
      try (GgufFile f = GgufFile.open(Fixtures.ggml().resolve(row.file()))) {
        TensorInfo t = f.require(row.tensor());
        String where = row.file() + " " + row.tensor();
        assertEquals(row.type(), t.type().label(), where);
        assertEquals(row.typeId(), t.type().ggmlTypeId(), where);
        assertArrayEquals(row.ne(), Fixtures.ne4(t.shape()), where);
        assertEquals(row.bytes(), t.byteSize(), where);
        assertEquals(row.offset(), t.dataOffset(), where);
        assertArrayEquals(Files.readAllBytes(row.rawBytes()), Fixtures.bytes(f.data(t)), where);
      }
    }
  }

  @Test
  void shapesAreOutermostFirst() throws Exception {
    try (TensorFile f = TensorFiles.open(Fixtures.ggml().resolve("q8_0.gguf"))) {
      assertArrayEquals(new long[] {64, 256}, f.require("blk.0.attn_q.weight").shape());
      assertArrayEquals(new long[] {8, 8, 256}, f.require("blk.0.mixed.weight").shape());
      assertEquals(64, f.require("blk.0.mixed.weight").rows());
    }
  }

  @Test
  void metadataOfEveryType() throws Exception {
    for (Path p : Fixtures.ggufFiles()) {
      try (GgufFile f = GgufFile.open(p)) {
        Metadata m = f.metadata();
        assertEquals(p.getFileName().toString().equals("mixed.gguf") ? 17 : 16, m.size(), "" + p);
        assertEquals(3, f.version());
        assertEquals(p.getFileName().toString().equals("mixed.gguf") ? 64 : 32, f.alignment());
        assertEquals("oracle", m.string("general.architecture").orElseThrow());
        assertEquals(200, value(m, "test.u8", ValueType.UINT8).asLong());
        assertEquals(-100, value(m, "test.i8", ValueType.INT8).asLong());
        assertEquals(60000, value(m, "test.u16", ValueType.UINT16).asLong());
        assertEquals(-30000, value(m, "test.i16", ValueType.INT16).asLong());
        assertEquals(4_000_000_000L, value(m, "test.u32", ValueType.UINT32).asLong());
        assertEquals(-2_000_000_000L, value(m, "test.i32", ValueType.INT32).asLong());
        assertEquals((float) Math.PI, (float) value(m, "test.f32", ValueType.FLOAT32).asDouble());
        assertTrue(value(m, "test.bool", ValueType.BOOL).asBoolean());
        assertEquals("h\u00e9llo \u2713", value(m, "test.string", ValueType.STRING).asString());
        value(m, "test.u64", ValueType.UINT64);
        value(m, "test.i64", ValueType.INT64);
        value(m, "test.f64", ValueType.FLOAT64);
        MetadataValue ints = value(m, "test.arr_i32", ValueType.ARRAY);
        assertEquals(ValueType.INT32, ints.elementType());
        assertArrayEquals(new int[] {1, -2, 3, -4, 5}, (int[]) ints.value());
        MetadataValue strs = value(m, "test.arr_str", ValueType.ARRAY);
        assertArrayEquals(new String[] {"a", "", "\uD83D\uDE00"}, (String[]) strs.value());
      }
    }
  }

  private static MetadataValue value(Metadata m, String key, ValueType type) {
    MetadataValue v = m.get(key).orElseThrow(() -> new AssertionError("missing " + key));
    assertEquals(type, v.type(), key);
    return v;
  }

  @Test
  void rewritingEveryFixtureGivesItsBytesAndOffsets(@TempDir Path dir) throws Exception {
    for (Path p : Fixtures.ggufFiles()) {
      Path out = dir.resolve(p.getFileName());
      try (GgufFile in = GgufFile.open(p)) {
        List<TensorSpec> specs = in.tensors().stream().map(TensorInfo::spec).toList();
        try (GgufWriter w = GgufWriter.create(out, in.metadata(), specs)) {
          for (TensorInfo t : in.tensors()) {
            w.writeTensor(t.name(), in.data(t));
          }
          w.commit();
        }
        assertEquals(Files.size(out), GgufWriter.fileSize(in.metadata(), specs));
        try (GgufFile again = GgufFile.open(out)) {
          assertEquals(in.tensors(), again.tensors(), "" + p);
          assertEquals(in.metadata(), again.metadata(), "" + p);
        }
        assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(out), "" + p);
      }
    }
    try (var left = Files.list(dir)) {
      assertEquals(Fixtures.ggufFiles().size(), left.count(), "no temporary files left");
    }
  }
}
