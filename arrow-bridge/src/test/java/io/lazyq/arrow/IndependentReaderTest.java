package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.RowBlocks;
import io.lazyq.format.SampleTables;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrow files written here, read back by the JavaScript Arrow implementation. */
class IndependentReaderTest {
  @TempDir
  Path dir;

  private Path export(Path lzq, ArrowReadOptions options) throws Exception {
    Path arrow = dir.resolve(lzq.getFileName() + "-" + options.view("q8") + ".arrow");
    try (BufferAllocator allocator = new RootAllocator();
        LzqArrowReader reader = LzqArrowReader.open(LzqFile.open(lzq), options, allocator)) {
      ArrowExport.writeFile(reader, arrow);
    }
    return arrow;
  }

  @Test
  void plainColumnsOfEveryType() throws Exception {
    List<Object[]> rows = SampleTables.allTypesRows(600, 5);
    Path lzq = dir.resolve("all.lzq");
    SampleTables.write(lzq, SampleTables.allTypes(), rows, 100, 37, 203);
    JsonNode js = NodeArrow.read(export(lzq, ArrowReadOptions.defaults().withBatchRows(64)));
    assertEquals(rows.size(), js.get("rows").asInt());
    List<String> names = SampleTables.allTypes().fields().stream().map(Field::name).toList();
    assertEquals("Timestamp<MICROSECOND, UTC>", js.get("fields").get(names.indexOf("ts")).get("type").asText());
    for (int c = 0; c < names.size(); c++) {
      JsonNode values = js.get("columns").get(names.get(c));
      boolean ts = names.get(c).equals("ts");
      for (int r = 0; r < rows.size(); r++) {
        JsonNode v = values.get(r);
        // JavaScript gives timestamps as milliseconds.
        Object actual = ts && !v.isNull() ? Math.round(v.asDouble() * 1000) : fromJs(rows.get(r)[c], v);
        assertEquals(Expect.normal(rows.get(r)[c]), actual, names.get(c) + " row " + r);
      }
    }
  }

  @Test
  void dequantizedAndRawQuantizedColumns() throws Exception {
    Path lzq = QuantizedSample.write(dir.resolve("q.lzq"), 2000, 1000);
    JsonNode deq = NodeArrow.read(export(lzq, ArrowReadOptions.defaults().withBatchRows(256)));
    JsonNode raw = NodeArrow.read(export(lzq, ArrowReadOptions.defaults().withColumns(List.of("q8"))
        .withQuantizedView(QuantizedView.RAW).withBatchRows(16)));
    JsonNode q8 = raw.get("fields").get(0);
    assertEquals("FixedSizeBinary[34]", q8.get("type").asText());
    assertEquals(QuantizedType.NAME, q8.get("metadata").get("ARROW:extension:name").asText());
    assertEquals("{\"type\":\"q8_0\",\"blockSize\":32,\"blockBytes\":34,\"values\":2000,\"errorBound\":null}",
        q8.get("metadata").get("ARROW:extension:metadata").asText());
    assertEquals("q8_0", deq.get("fields").get(1).get("metadata").get(ArrowSchemas.ENCODING_KEY).asText());
    try (LzqFile file = LzqFile.open(lzq)) {
      int block = 0;
      for (int chunk = 0; chunk < file.index().size(); chunk++) {
        long first = file.index().chunk(chunk).firstRow();
        for (String name : List.of("q8", "q4", "eb", "rows")) {
          try (ColumnView view = file.column(chunk, file.schema().indexOf(name))) {
            JsonNode values = deq.get("columns").get(name);
            for (int r = 0; r < view.rows(); r++) {
              Object expected = view.getObject(r);
              assertEquals(Expect.normal(expected), fromJs(expected, values.get((int) first + r)), name + " row " + r);
            }
          }
        }
        try (ColumnView view = file.column(chunk, file.schema().indexOf("q8"))) {
          ByteBuffer bytes = view.valuesBuffer();
          for (int b = 0; b < ArrowColumns.blockCount(view); b++, block++) {
            byte[] expected = new byte[34];
            bytes.get(b * 34, expected);
            assertEquals(HexFormat.of().formatHex(expected), raw.get("columns").get("q8").get(block).asText());
          }
        }
      }
      assertEquals(block, raw.get("rows").asInt());
    }
  }

  /**
   * A raw export of a sensor file that mixes plain and quantized columns (timestamps, strings,
   * affine and error-bounded floats with nulls, chunks that end inside a block): every column is
   * there, rows stay table rows, and each quantized row's blocks, decoded by the JavaScript script,
   * give bit for bit the values of the dequantized export.
   */
  @Test
  void rawExportOfAMixedFileKeepsRowsWithTheirBlocks() throws Exception {
    Schema schema = EncodingSpec.parse("temperature=affine8,vibration=affine4", "pressure=0.01").applyTo(new Schema(
        List.of(Field.of("ts", ColumnType.TIMESTAMP), Field.of("sensor", ColumnType.UTF8),
            Field.of("temperature", ColumnType.FLOAT32), Field.of("pressure", ColumnType.FLOAT32),
            Field.of("vibration", ColumnType.FLOAT32), Field.of("humidity", ColumnType.FLOAT32)),
        java.util.Map.of()));
    Path lzq = dir.resolve("sensors.lzq");
    int rows = 2500;
    try (LzqWriter w = LzqWriter.create(lzq, schema, WriterOptions.DEFAULTS.withChunkRows(1000))) {
      for (int r = 0; r < rows; r++) {
        w.setLong(0, 1_767_225_600_000_000L + r * 1000L).setString(1, "s-" + r % 4);
        for (int c = 2; c < 6; c++) {
          if ((r + c) % 7 != 0) {
            w.setFloat(c, (float) (20 * c + Math.sin(r * 0.01 * c) + 0.01 * (r % 13)));
          }
        }
        w.endRow();
      }
      w.commit();
    }
    try (BufferAllocator allocator = new RootAllocator()) {
      JsonNode deq = NodeArrow.read(export(lzq, ArrowReadOptions.defaults().withBatchRows(96), allocator));
      JsonNode raw = NodeArrow.read(export(lzq, ArrowReadOptions.defaults().withBatchRows(96)
          .withQuantizedView(QuantizedView.RAW), allocator));
      assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory outstanding");
      assertEquals(rows, raw.get("rows").asInt());
      List<String> names = schema.fields().stream().map(Field::name).toList();
      for (int c = 0; c < names.size(); c++) {
        JsonNode field = raw.get("fields").get(c);
        assertEquals(names.get(c), field.get("name").asText());
        boolean quantized = schema.field(c).encoding().isQuantized();
        if (!quantized) {
          assertEquals(deq.get("columns").get(names.get(c)), raw.get("columns").get(names.get(c)), names.get(c));
          continue;
        }
        assertEquals("Binary", field.get("type").asText());
        assertEquals(schema.field(c).encoding().quant().label(), field.get("metadata").get(RowBlocks.QUANT).asText());
        JsonNode decoded = raw.get("decoded").get(names.get(c));
        JsonNode dequantized = deq.get("columns").get(names.get(c));
        for (int r = 0; r < rows; r++) {
          JsonNode v = dequantized.get(r);
          if (!v.isNull()) {
            float expected = v.isTextual() ? Float.parseFloat(v.asText()) : (float) v.asDouble();
            assertEquals(Float.floatToRawIntBits(expected), (int) decoded.get(r).asLong(), names.get(c) + " row " + r);
          }
        }
      }
    }
  }

  private Path export(Path lzq, ArrowReadOptions options, BufferAllocator allocator) throws Exception {
    Path arrow = Files.createTempFile(dir, lzq.getFileName().toString(), ".arrow");
    try (LzqArrowReader reader = LzqArrowReader.open(LzqFile.open(lzq), options, allocator.newChildAllocator(
        "export", 0, Long.MAX_VALUE))) {
      ArrowExport.writeFile(reader, arrow);
    }
    return arrow;
  }

  /** A JavaScript value as the Java value {@code like} would be: int64 came as a string, floats as doubles. */
  private static Object fromJs(Object like, JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (like instanceof float[] || like instanceof long[] || like instanceof boolean[]) {
      List<Object> out = new java.util.ArrayList<>();
      Object element = like instanceof float[] ? (Object) 0f : like instanceof long[] ? (Object) 0L : (Object) false;
      v.forEach(e -> out.add(fromJs(element, e)));
      return out;
    }
    if (like instanceof Integer) {
      return v.asInt();
    }
    if (like instanceof Long) {
      return v.isTextual() ? Long.parseLong(v.asText()) : v.asLong();
    }
    if (like instanceof Float) {
      return v.isTextual() ? Float.parseFloat(v.asText()) : (float) v.asDouble();
    }
    if (like instanceof Double) {
      return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
    }
    if (like instanceof Boolean) {
      return v.asBoolean();
    }
    return v.asText();
  }
}
