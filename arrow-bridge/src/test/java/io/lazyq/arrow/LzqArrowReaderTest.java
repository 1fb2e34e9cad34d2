package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
