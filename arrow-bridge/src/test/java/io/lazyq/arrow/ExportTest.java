package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {
  @TempDir
  Path dir;

  /** Every dequantized value equals LazyQ's own decoder's, row by row, chunk by chunk. */
  static void checkDequantized(ArrowReader reader, LzqFile lzq) throws Exception {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    int chunk = 0;
    int inChunk = 0;
    while (reader.loadNextBatch()) {
      if (inChunk == lzq.index().chunk(chunk).rows()) {
        chunk++;
        inChunk = 0;
      }
      int n = root.getRowCount();
      for (String name : List.of("q8", "q4", "eb", "rows")) {
        int ordinal = lzq.schema().indexOf(name);
        try (ColumnView view = lzq.column(chunk, ordinal)) {
          FieldVector v = root.getVector(name);
          for (int r = 0; r < n; r++) {
            Object expected = view.getObject(inChunk + r);
            if (v instanceof ListVector) {
              assertEquals(Expect.normal(expected), Expect.normal(v.getObject(r)), name + " row " + (inChunk + r));
            } else {
              assertEquals(expected, ((Float4Vector) v).getObject(r), name + " row " + (inChunk + r));
            }
          }
        }
      }
      inChunk += n;
    }
  }

  @Test
  void ipcFileRoundTripsDequantizedColumns() throws Exception {
    Path file = QuantizedSample.write(dir.resolve("q.lzq"), 3000, 1000);
    Path arrow = dir.resolve("q.arrow");
    try (BufferAllocator allocator = new RootAllocator()) {
      try (LzqArrowReader reader = LzqArrowReader.open(LzqFile.open(file),
          ArrowReadOptions.defaults().withBatchRows(256), allocator)) {
        ArrowExport.Result result = ArrowExport.writeFile(reader, arrow);
        assertEquals(3000, result.rows());
        assertEquals(12, result.batches(), "batches never span chunks: 4 per chunk of 1000");
      }
      try (LzqFile lzq = LzqFile.open(file);
          FileChannel ch = FileChannel.open(arrow);
          ArrowFileReader back = new ArrowFileReader(ch, allocator)) {
        assertEquals("q8_0", back.getVectorSchemaRoot().getSchema().findField("q8").getMetadata()
            .get(ArrowSchemas.ENCODING_KEY));
        checkDequantized(back, lzq);
      }
    }
  }

  @Test
  void rawBlocksAreTheFileBytesWithTheirMetadata() throws Exception {
    Path file = QuantizedSample.write(dir.resolve("q.lzq"), 2000, 1000);
    ByteArrayOutputStream ipc = new ByteArrayOutputStream();
    try (BufferAllocator allocator = new RootAllocator()) {
      ArrowReadOptions raw = ArrowReadOptions.defaults().withColumns(List.of("q8", "q4"))
          .withQuantizedView(QuantizedView.RAW).withBatchRows(8);
      try (LzqArrowReader reader = LzqArrowReader.open(LzqFile.open(file), raw, allocator)) {
        ArrowExport.writeStream(reader, ipc);
      }
      try (LzqFile lzq = LzqFile.open(file);
          ArrowStreamReader back = new ArrowStreamReader(new ByteArrayInputStream(ipc.toByteArray()), allocator)) {
        VectorSchemaRoot root = back.getVectorSchemaRoot();
        QuantizedType type = assertInstanceOf(QuantizedType.class, root.getSchema().findField("q8").getType());
        assertEquals("{\"type\":\"q8_0\",\"blockSize\":32,\"blockBytes\":34,\"values\":2000,\"errorBound\":null}",
            type.serialize());
        for (int chunk = 0, block = 0; chunk < 2; chunk++, block = 0) {
          try (ColumnView q8 = lzq.column(chunk, 1)) {
            ByteBuffer bytes = q8.valuesBuffer();
            int blocks = ArrowColumns.blockCount(q8);
            assertEquals(32, blocks);
            while (block < blocks) {
              assertTrue(back.loadNextBatch());
              for (int r = 0; r < root.getRowCount(); r++, block++) {
                byte[] expected = new byte[34];
                bytes.get(block * 34, expected);
                assertArrayEquals(expected, (byte[]) root.getVector("q8").getObject(r), "block " + block);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void cDataRoundTripGivesIdenticalVectorsAndLeaksNothing() throws Exception {
    Path file = QuantizedSample.write(dir.resolve("q.lzq"), 2500, 1000);
    try (BufferAllocator producer = new RootAllocator(); BufferAllocator consumer = new RootAllocator()) {
      for (QuantizedView view : QuantizedView.values()) {
        ArrowReadOptions options = ArrowReadOptions.defaults().withBatchRows(512).withQuantizedView(view);
        if (view == QuantizedView.RAW) {
          options = options.withColumns(List.of("q8", "q4"));
        }
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(consumer);
            LzqArrowReader expected = LzqArrowReader.open(LzqFile.open(file), options, producer)) {
          // The stream owns its reader once exported, and closes it on release.
          ArrowExport.exportCData(producer, LzqArrowReader.open(LzqFile.open(file), options, producer), stream);
          try (ArrowReader imported = Data.importArrayStream(consumer, stream)) {
            int batches = 0;
            while (expected.loadNextBatch()) {
              assertTrue(imported.loadNextBatch());
              assertTrue(expected.getVectorSchemaRoot().equals(imported.getVectorSchemaRoot()), view + " batch " + batches);
              batches++;
            }
            assertEquals(false, imported.loadNextBatch());
            assertTrue(batches > 0);
          }
        }
      }
      assertEquals(0, producer.getAllocatedMemory());
      assertEquals(0, consumer.getAllocatedMemory());
    }
  }
}
