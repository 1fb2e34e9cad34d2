package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.gguf.GgufWriter;
import io.lazyq.quant.QuantType;
import io.lazyq.safetensors.SafetensorsWriter;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.TensorFileWriter;
import io.lazyq.tensor.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer publishes only on {@code commit()}: whatever fails before it, a body that throws, a
 * setter that fails half-way through a row, a row never ended, a missing tensor, leaves the final
 * name as it was (absent, or the previous file byte for byte) and no temporary file behind.
 */
class CommitTest {
  @TempDir Path dir;

  private static final Schema REQUIRED = Schema.of(
      new Field("ts", ColumnType.INT64, false, ColumnEncoding.PLAIN),
      new Field("v", ColumnType.FLOAT32, false, ColumnEncoding.PLAIN));

  @Test
  void aBodyThatThrowsPublishesNothing() throws Exception {
    Path out = dir.resolve("t.lzq");
    assertThrows(IllegalStateException.class, () -> {
      try (LzqWriter w = LzqWriter.create(out, SampleTables.allTypes(), WriterOptions.DEFAULTS.withChunkRows(3))) {
        write(w, SampleTables.allTypesRows(10, 1));
        throw new IllegalStateException("the input failed");
      }
    });
    assertDirectoryHolds();
  }

  @Test
  void aCommittedFileReadsBackWhole() throws Exception {
    Path out = dir.resolve("t.lzq");
    List<Object[]> rows = SampleTables.allTypesRows(10, 1);
    try (LzqWriter w = LzqWriter.create(out, SampleTables.allTypes(), WriterOptions.DEFAULTS.withChunkRows(3))) {
      write(w, rows);
      assertFalse(Files.exists(out), "nothing under the final name before commit");
      w.commit();
      assertTrue(Files.exists(out));
      assertThrows(IllegalStateException.class, () -> w.setLong(1, 1), "nothing is written after commit");
    }
    TableReads.assertRowsEqual(rows, TableReads.readMapped(out));
    assertDirectoryHolds(out);
  }

  @Test
  void aSetterFailingHalfWayThroughARowFailsTheWriter() throws Exception {
    Path out = dir.resolve("t.lzq");
    try (LzqWriter w = LzqWriter.create(out, REQUIRED, WriterOptions.DEFAULTS.withChunkRows(2))) {
      for (int i = 0; i < 5; i++) {
        w.setLong(0, i).setFloat(1, i).endRow();
      }
      w.setLong(0, 5);
      // The wrong type for column v: the row is half set, and a caller that carries on...
      assertThrows(IllegalArgumentException.class, () -> w.setLong(1, 5));
      IllegalStateException endRow = assertThrows(IllegalStateException.class, w::endRow);
      assertTrue(endRow.getMessage().contains("an earlier write failed"), endRow.getMessage());
      // ...can publish nothing: no column can hold a value that its row's other columns lack.
      assertThrows(IllegalStateException.class, w::commit);
    }
    assertDirectoryHolds();
  }

  @Test
  void aColumnLeftUnsetByAFailedSetterIsCaughtAtTheEndOfTheRow() throws Exception {
    Path out = dir.resolve("t.lzq");
    Schema nullable = Schema.of(Field.of("ts", ColumnType.INT64), Field.of("name", ColumnType.UTF8));
    try (LzqWriter w = LzqWriter.create(out, nullable, WriterOptions.DEFAULTS)) {
      w.setLong(0, 1).setString(1, "a").endRow();
      assertThrows(IllegalArgumentException.class, () -> w.setFloat(1, 1f));
      assertThrows(IllegalStateException.class, w::endRow);
      assertThrows(IllegalStateException.class, w::commit);
    }
    assertDirectoryHolds();
  }

  @Test
  void aRowBegunAndNotEndedIsNotPublished() throws Exception {
    Path out = dir.resolve("t.lzq");
    try (LzqWriter w = LzqWriter.create(out, REQUIRED, WriterOptions.DEFAULTS)) {
      w.setLong(0, 1).setFloat(1, 1f).endRow();
      w.setLong(0, 2);
      IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
      assertTrue(e.getMessage().contains("begun and not ended"), e.getMessage());
    }
    assertDirectoryHolds();
  }

  @Test
  void aFailedRewriteKeepsThePreviousFileByteForByte() throws Exception {
    Path out = dir.resolve("t.lzq");
    SampleTables.write(out, SampleTables.allTypes(), SampleTables.allTypesRows(20, 2));
    byte[] before = Files.readAllBytes(out);
    assertThrows(IOException.class, () -> {
      try (LzqWriter w = LzqWriter.create(out, SampleTables.allTypes(), WriterOptions.DEFAULTS.withChunkRows(4))) {
        write(w, SampleTables.allTypesRows(30, 3));
        throw new IOException("the input was cut");
      }
    });
    assertArrayEquals(before, Files.readAllBytes(out));
    assertDirectoryHolds(out);
  }

  @Test
  void aStreamWithoutCommitHasNoFooter() throws Exception {
    var sink = new java.io.ByteArrayOutputStream();
    try (LzqWriter w = LzqWriter.toStream(sink, REQUIRED, WriterOptions.DEFAULTS)) {
      w.setLong(0, 1).setFloat(1, 1f).endRow();
    }
    int withoutCommit = sink.size();
    var committed = new java.io.ByteArrayOutputStream();
    try (LzqWriter w = LzqWriter.toStream(committed, REQUIRED, WriterOptions.DEFAULTS)) {
      w.setLong(0, 1).setFloat(1, 1f).endRow();
      w.commit();
    }
    assertTrue(committed.size() > withoutCommit, "commit writes the last chunk, the footer and the trailer");
    assertEquals(1, TableReads.readStream(new java.io.ByteArrayInputStream(committed.toByteArray()),
        StreamOptions.DEFAULTS).size());
  }

  @Test
  void tensorFilesWithAMissingTensorAreNotPublished() throws Exception {
    List<TensorSpec> specs = List.of(
        new TensorSpec("a", ElementType.of(QuantType.F32), new long[] {4}),
        new TensorSpec("b", ElementType.of(QuantType.F32), new long[] {4}));
    for (TensorFileWriter w : List.of(
        GgufWriter.create(dir.resolve("m.gguf"), Metadata.empty(), specs),
        SafetensorsWriter.create(dir.resolve("m.safetensors"), Metadata.empty(), specs))) {
      try (w) {
        w.writeTensor("a", ByteBuffer.allocate(16));
        IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
        assertTrue(e.getMessage().contains("tensor 'b' (2 of 2) is missing"), e.getMessage());
      }
    }
    assertDirectoryHolds();
  }

  @Test
  void aTensorInProgressIsNotPublishedAndARefusedAppendWritesNothing() throws Exception {
    List<TensorSpec> specs = List.of(new TensorSpec("a", ElementType.of(QuantType.F32), new long[] {4}));
    Path out = dir.resolve("m.gguf");
    try (GgufWriter w = GgufWriter.create(out, Metadata.empty(), specs)) {
      w.beginTensor("a");
      w.append(ByteBuffer.allocate(8));
      IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
      assertTrue(e.getMessage().contains("is incomplete"), e.getMessage());
      // Checked before any byte is written, so the writer stays whole.
      assertThrows(IllegalArgumentException.class, () -> w.append(ByteBuffer.allocate(16)));
      w.append(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(0, 1.5f));
      w.endTensor();
      w.commit();
    }
    try (var f = io.lazyq.tensorfiles.TensorFiles.open(out)) {
      assertEquals(1.5f, f.data(f.require("a")).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(8));
    }
    assertDirectoryHolds(out);
  }

  private static void write(LzqWriter w, List<Object[]> rows) throws IOException {
    for (Object[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        w.setObject(c, row[c]);
      }
      w.endRow();
    }
  }

  /** The directory holds exactly these files: nothing else under a final name, no temporary file. */
  private void assertDirectoryHolds(Path... files) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      assertEquals(List.of(files), list.sorted().toList());
    }
  }
}
