package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.format.BufferRef;
import io.lazyq.format.ColumnChunk;
import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnStats;
import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryAndCorruptionTest {
  /** Values in the peak-memory test: 400 MB of float32 once decoded. */
  static final int VALUES = 100_000_000;

  @TempDir
  Path dir;

  static Path q8Column(Path file, int values) throws Exception {
    Schema schema = Schema.of(Field.of("v", ColumnType.FLOAT32).withEncoding(ColumnEncoding.quantized(QuantType.Q8_0)));
    try (LzqWriter w = LzqWriter.create(file, schema, WriterOptions.DEFAULTS.withChunkRows(1 << 20))) {
      for (int i = 0; i < values; i++) {
        w.setFloat(0, (i & 1023) * 0.25f).endRow();
      }
      w.commit();
    }
    return file;
  }

  @Test
  void dequantizedBatchesHoldOnlyOneBatchOfFloats() throws Exception {
    Path file = q8Column(dir.resolve("big.lzq"), VALUES);
    int batch = ArrowReadOptions.DEFAULT_BATCH_ROWS;
    try (BufferAllocator allocator = new RootAllocator()) {
      long rows = 0;
      double sum = 0;
      try (LzqArrowReader reader = LzqArrowReader.open(LzqFile.open(file), ArrowReadOptions.defaults(), allocator)) {
        Float4Vector v = (Float4Vector) reader.getVectorSchemaRoot().getVector(0);
        while (reader.loadNextBatch()) {
          rows += v.getValueCount();
          sum += v.get(v.getValueCount() - 1);
        }
      }
      assertEquals(VALUES, rows);
      assertTrue(sum > 0);
      // Arrow allocates a vector's validity and values as one buffer, rounded up to a power of two.
      long oneBatch = Long.highestOneBit(4L * batch + batch / 8 - 1) << 1;
      assertEquals(oneBatch, allocator.getPeakMemoryAllocation(),
          "one batch of floats and its validity, allocated once, whatever the file size");
    }
  }

  @Test
  void rawBlocksAreWrappedInPlaceWithoutGrowingTheAllocator() throws Exception {
    Path file = q8Column(dir.resolve("q.lzq"), 1 << 16);
    try (BufferAllocator allocator = new RootAllocator(); LzqFile lzq = LzqFile.open(file)) {
      FieldVector v = ArrowColumns.arrowField(lzq.schema().field(0), QuantizedView.RAW, -1).createVector(allocator);
      try (ColumnView view = lzq.column(0, 0)) {
        int blocks = ArrowColumns.blockCount(view);
        long base = ZeroCopy.address(view.valuesBuffer());
        for (int first = 0; first < blocks; first += 256) {
          ArrowColumns.loadBlocks(view, first, 256, v, allocator);
          assertEquals(base + 34L * first, v.getDataBuffer().memoryAddress(), "blocks point into the mapping");
          // The wrapped blocks plus the all-set validity bitmap Arrow allocates: the same for every batch.
          assertEquals(256 * 34 + 256 / 8, allocator.getAllocatedMemory());
        }
      }
      assertEquals(1, lzq.mappingStats().liveMappings());
      v.close();
      assertEquals(0, lzq.mappingStats().liveMappings());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  private static ColumnView view(Field field, int rows, long valueCount, int valueBytes) throws LazyQFormatException {
    ByteBuffer region = ByteBuffer.allocateDirect(valueBytes).order(ByteOrder.LITTLE_ENDIAN);
    ColumnChunk chunk = new ColumnChunk(0, valueBytes, 0, ColumnEncoding.Lossless.NONE, valueCount,
        ColumnStats.nullsOnly(0), BufferRef.ABSENT, BufferRef.ABSENT, new BufferRef(0, valueBytes, valueBytes));
    return new ColumnView(field, chunk, rows, region, "corrupt.lzq", 0, null);
  }

  @Test
  void valuesShorterThanTheRowsAreRefusedBeforeAnyBuffer() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        Float4Vector v = new Float4Vector("x", allocator)) {
      ColumnView short4 = view(Field.of("x", ColumnType.FLOAT32), 100, 100, 64);
      LazyQFormatException e = assertThrows(LazyQFormatException.class,
          () -> ArrowColumns.loadPlain(short4, 0, 100, v, allocator));
      assertEquals("corrupt.lzq", e.source(), "the error names the file");
      assertEquals(0, e.offset(), "and the column chunk's offset");
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void blockCountDisagreeingWithBytesIsRefusedBeforeAnyBuffer() throws Exception {
    Field q8 = Field.of("q", ColumnType.FLOAT32).withEncoding(ColumnEncoding.quantized(QuantType.Q8_0));
    try (BufferAllocator allocator = new RootAllocator()) {
      // 64 values need 2 blocks of 34 bytes; 3 blocks are stored.
      LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> view(q8, 64, 64, 3 * 34));
      assertEquals("corrupt.lzq", e.source());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void rawColumnsBesidePlainOnesKeepTableRowsAndAllRawNeedFixedSizeBlocks() throws Exception {
    Path file = QuantizedSample.write(dir.resolve("q.lzq"), 100, 100);
    try (BufferAllocator allocator = new RootAllocator(); LzqFile lzq = LzqFile.open(file)) {
      try (LzqArrowReader mixed = LzqArrowReader.open(LzqFile.open(file), ArrowReadOptions.defaults()
          .withColumns(List.of("id", "q8")).withQuantizedView(QuantizedView.RAW), allocator)) {
        assertTrue(mixed.loadNextBatch());
        var q8 = (org.apache.arrow.vector.VarBinaryVector) mixed.getVectorSchemaRoot().getVector("q8");
        assertEquals(100, mixed.getVectorSchemaRoot().getRowCount());
        assertEquals(34, q8.getObject(0).length);
        assertTrue(q8.isNull(1));
        assertEquals(34, q8.getObject(32).length);
      }
      assertThrows(IllegalArgumentException.class, () -> LzqArrowReader.open(lzq,
          ArrowReadOptions.defaults().withColumns(List.of("eb")).withQuantizedView(QuantizedView.RAW), allocator));
    }
  }

}
