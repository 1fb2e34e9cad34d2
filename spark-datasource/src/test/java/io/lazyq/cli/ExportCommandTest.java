package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lazyq.format.RowBlocks;
import io.lazyq.format.SampleTables;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
  private static final List<String> QUANTIZED = List.of("temperature", "pressure", "vibration");

  @TempDir
  Path dir;

  @Test
  void exportsFileAndStreamThroughTheLauncher() throws Exception {
    Path lzq = dir.resolve("t.lzq");
    SampleTables.write(lzq, SampleTables.allTypes(), SampleTables.allTypesRows(300, 1), 128);
    Path file = dir.resolve("t.arrow");
    Path stream = dir.resolve("t.arrows");
    assertEquals(0, LazyQ.run("export", lzq.toString(), file.toString(), "--columns", "i32,name", "--batch-rows", "64"));
    assertEquals(0, LazyQ.run("export", lzq.toString(), stream.toString(), "--stream"));
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader f = new ArrowFileReader(Files.newByteChannel(file), allocator);
        ArrowStreamReader s = new ArrowStreamReader(Files.newInputStream(stream), allocator)) {
      assertEquals(2, f.getVectorSchemaRoot().getSchema().getFields().size());
      assertEquals(5, f.getRecordBlocks().size(), "128 + 128 + 44 rows in batches of 64");
      int rows = 0;
      while (s.loadNextBatch()) {
        rows += s.getVectorSchemaRoot().getRowCount();
      }
      assertEquals(300, rows);
    }
  }

  /**
   * {@code --raw} of a generated sensor file with plain and quantized columns: every column is
   * exported, rows stay table rows, and each quantized row's blocks decode, bit for bit, to the
   * dequantized export's values.
   */
  @Test
  void rawExportOfAGeneratedSensorFileKeepsPlainColumnsAndRowAlignedBlocks() throws Exception {
    Path lzq = dir.resolve("sensors.lzq");
    assertEquals(0, LazyQ.run("generate", "sensors", "--out", lzq.toString(), "--rows", "5000", "--sensors", "3",
        "--chunk-rows", "1000", "--quantize", "temperature=affine8,vibration=affine4", "--error-bound", "pressure=0.01"));
    Path raw = dir.resolve("raw.arrow");
    Path deq = dir.resolve("deq.arrow");
    assertEquals(0, LazyQ.run("export", lzq.toString(), raw.toString(), "--raw", "--batch-rows", "200"));
    assertEquals(0, LazyQ.run("export", lzq.toString(), deq.toString(), "--batch-rows", "200"));
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader r = new ArrowFileReader(Files.newByteChannel(raw), allocator);
        ArrowFileReader d = new ArrowFileReader(Files.newByteChannel(deq), allocator)) {
      var fields = r.getVectorSchemaRoot().getSchema().getFields();
      assertEquals(List.of("ts", "sensor", "temperature", "pressure", "vibration"),
          fields.stream().map(org.apache.arrow.vector.types.pojo.Field::getName).toList());
      assertEquals("error_bounded", fields.get(3).getMetadata().get(RowBlocks.QUANT));
      // A block may end in a later batch than the row that holds it: decode over the whole file.
      Map<String, List<byte[]>> blocks = new HashMap<>();
      Map<String, List<Float>> expected = new HashMap<>();
      int rows = 0;
      while (r.loadNextBatch() && d.loadNextBatch()) {
        VectorSchemaRoot a = r.getVectorSchemaRoot();
        VectorSchemaRoot b = d.getVectorSchemaRoot();
        assertEquals(b.getRowCount(), a.getRowCount());
        assertEquals(b.getVector("sensor").getObject(7).toString(), a.getVector("sensor").getObject(7).toString());
        assertEquals(((TimeStampVector) b.getVector("ts")).get(9), ((TimeStampVector) a.getVector("ts")).get(9));
        for (String name : QUANTIZED) {
          for (int i = 0; i < a.getRowCount(); i++) {
            blocks.computeIfAbsent(name, k -> new ArrayList<>()).add(((VarBinaryVector) a.getVector(name)).getObject(i));
            expected.computeIfAbsent(name, k -> new ArrayList<>()).add(((Float4Vector) b.getVector(name)).get(i));
          }
        }
        rows += a.getRowCount();
      }
      for (String name : QUANTIZED) {
        QuantType type = QuantType.byLabel(fields.stream().filter(f -> f.getName().equals(name)).findFirst()
            .orElseThrow().getMetadata().get(RowBlocks.QUANT)).orElseThrow();
        float[] decoded = decodeRows(blocks.get(name), type);
        for (int i = 0; i < rows; i++) {
          assertEquals(Float.floatToRawIntBits(expected.get(name).get(i)), Float.floatToRawIntBits(decoded[i]),
              name + " row " + i);
        }
      }
      assertEquals(5000, rows);
    }
  }

  /** Row i's blocks hold the values of rows i, i + 1, ... up to the next row that holds blocks. */
  private static float[] decodeRows(List<byte[]> rows, QuantType type) throws Exception {
    int n = rows.size();
    float[] out = new float[n];
    for (int i = 0; i < n; ) {
      int next = i + 1;
      while (next < n && rows.get(next) == null) {
        next++;
      }
      byte[] blocks = rows.get(i);
      int count = next - i;
      ByteBuffer region = type.isFixedSize() ? ByteBuffer.wrap(blocks)
          : ByteBuffer.allocate(12 + blocks.length).order(ByteOrder.LITTLE_ENDIAN)
              .putInt(1).putInt(12).putInt(12 + blocks.length).put(blocks).flip(); // one block, its offset table first
      type.codec().validate(region.order(ByteOrder.LITTLE_ENDIAN), count);
      type.codec().decode(region, 0, count, out, i);
      i = next;
    }
    return out;
  }

  @Test
  void badInputExitsWithThree() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.lzq"), "not a lazyq file at all, just some text");
    assertEquals(LazyQ.BAD_INPUT, LazyQ.run("export", junk.toString(), dir.resolve("o.arrow").toString()));
  }
}
