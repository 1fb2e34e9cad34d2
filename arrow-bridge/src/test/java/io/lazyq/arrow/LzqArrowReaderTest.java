package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.format.SampleTables;
import io.lazyq.format.Schema;
import io.lazyq.format.StreamOptions;
import io.lazyq.storage.MappingStats;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LzqArrowReaderTest {
  @TempDir
  Path dir;

  private Path sample(List<Object[]> rows) throws Exception {
    Path file = dir.resolve("all.lzq");
    // Chunk sizes that are not multiples of 8 and a batch size that splits chunks.
    SampleTables.write(file, SampleTables.allTypes(), rows, 100, 37, 203);
    return file;
  }

  @Test
  void mappedFileGivesEveryTypeZeroCopy() throws Exception {
    List<Object[]> rows = SampleTables.allTypesRows(1000, 7);
    Path file = sample(rows);
    try (BufferAllocator allocator = new RootAllocator()) {
      LzqFile lzq = LzqFile.open(file);
      MappingStats stats = lzq.mappingStats();
      try (LzqArrowReader reader = LzqArrowReader.open(lzq, ArrowReadOptions.defaults().withBatchRows(16), allocator)) {
        assertEquals(new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC"),
            reader.getVectorSchemaRoot().getSchema().findField("ts").getType());
        Expect.rows(reader, rows);
      }
      assertEquals(0, stats.liveMappings(), "closing the reader releases every mapping");
    }
  }

  @Test
  void streamGivesTheSameValues() throws Exception {
    List<Object[]> rows = SampleTables.allTypesRows(500, 11);
    Path file = sample(rows);
    try (BufferAllocator allocator = new RootAllocator();
        InputStream in = Files.newInputStream(file);
        LzqArrowReader reader = LzqArrowReader.open(LzqStream.open(in, "test", StreamOptions.DEFAULTS),
            ArrowReadOptions.defaults().withBatchRows(64), allocator)) {
      Expect.rows(reader, rows);
    }
  }

  @Test
  void unselectedColumnsAreNeverMapped() throws Exception {
    List<Object[]> rows = SampleTables.allTypesRows(400, 3);
    Path file = sample(rows);
    Schema schema = SampleTables.allTypes();
    int name = schema.indexOf("name");
    int f32 = schema.indexOf("f32");
    List<Object[]> picked = new ArrayList<>();
    for (Object[] r : rows) {
      picked.add(new Object[] {r[name], r[f32]});
    }
    try (BufferAllocator allocator = new RootAllocator()) {
      LzqFile lzq = LzqFile.open(file);
      long chunks = lzq.index().size();
      long expected = lzq.index().columnBytes(name) + lzq.index().columnBytes(f32);
      try (LzqArrowReader reader = LzqArrowReader.open(lzq,
          ArrowReadOptions.defaults().withColumns(List.of("name", "f32")), allocator)) {
        Expect.rows(reader, picked);
        assertEquals(2 * chunks, lzq.mappingStats().mappings());
        assertEquals(expected, lzq.mappingStats().bytesMapped());
      }
    }
  }

  @Test
  void vectorsPointIntoTheMappingUntilReleased() throws Exception {
    Path file = ZeroCopyTest.floats(dir.resolve("f.lzq"), 4096);
    try (BufferAllocator allocator = new RootAllocator(); LzqFile lzq = LzqFile.open(file)) {
      Float4Vector v = new Float4Vector("x", allocator);
      long address;
      try (var view = lzq.column(0, 0)) {
        ArrowColumns.loadPlain(view, 1024, 2048, v, allocator);
        address = ZeroCopy.address(view.valuesBuffer()) + 1024 * 4;
      }
      assertEquals(address, v.getDataBuffer().memoryAddress());
      assertEquals(1024 * 0.5f, v.get(0));
      assertEquals(1, lzq.mappingStats().liveMappings());
      v.close();
      assertEquals(0, lzq.mappingStats().liveMappings());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void unknownColumnIsRefused() throws Exception {
    Path file = ZeroCopyTest.floats(dir.resolve("f.lzq"), 8);
    try (BufferAllocator allocator = new RootAllocator(); LzqFile lzq = LzqFile.open(file)) {
      assertThrows(IllegalArgumentException.class, () -> LzqArrowReader.open(lzq,
          ArrowReadOptions.defaults().withColumns(List.of("nope")), allocator));
    }
  }

  /**
   * Block-encoded columns (the default encodings) decode batch by batch straight into Arrow's own
   * buffers: every value of every type exact, in batches that split the encodings' 1024-value
   * blocks and the chunks, and no Arrow memory left.
   */
  @Test
  void blockEncodedColumnsDecodeIntoArrowBuffers() throws Exception {
    Schema schema = EncodingSpec.NONE.applyTo(Schema.of(Field.of("pressure", ColumnType.FLOAT32),
        Field.of("level", ColumnType.FLOAT64), Field.of("count", ColumnType.INT32), Field.of("total", ColumnType.INT64)));
    Random r = new Random(5);
    float[] specials = {-0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE};
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      Float pressure = i % 700 < 30 ? null : (10195 + (i / 7) % 30 - 15) / 10f;
      if (r.nextInt(300) == 0) {
        pressure = specials[r.nextInt(specials.length)];
      }
      rows.add(new Object[] {pressure, Math.round(r.nextGaussian() * 1000) / 100.0, 1000 + (i / 3) % 50 + r.nextInt(3),
          i % 900 < 5 ? null : 1_000_000_000_000L + 7L * i * i});
    }
    Path file = dir.resolve("blocks.lzq");
    SampleTables.write(file, schema, rows, 4000, 6000);
    try (BufferAllocator allocator = new RootAllocator()) {
      LzqFile lzq = LzqFile.open(file);
      for (int c = 0; c < 2; c++) {
        try (ColumnView v = lzq.column(0, c)) {
          assertTrue(v.isBlockEncoded(), schema.field(c).name() + " is block-encoded");
        }
      }
      try (LzqArrowReader reader = LzqArrowReader.open(lzq, ArrowReadOptions.defaults().withBatchRows(1000), allocator)) {
        assertEquals(10, Expect.rows(reader, rows));
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }
}
