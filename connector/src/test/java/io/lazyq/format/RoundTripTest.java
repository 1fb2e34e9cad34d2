package io.lazyq.format;

import static io.lazyq.format.TableReads.assertRowsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {
  @TempDir Path dir;

  static List<Arguments> layouts() {
    return List.of(
        Arguments.of("one chunk", 1000, new int[0]),
        Arguments.of("one-row chunks", 17, new int[] {1}),
        Arguments.of("unequal chunks", 700, new int[] {3, 100, 1, 250, 8}),
        Arguments.of("one row", 1, new int[0]),
        Arguments.of("zero rows", 0, new int[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void everyTypeThroughBothReaders(String name, int rows, int[] chunks) throws Exception {
    Path path = dir.resolve("t.lzq");
    List<Object[]> expected = SampleTables.allTypesRows(rows, 42);
    SampleTables.write(path, SampleTables.allTypes(), expected, chunks);

    assertRowsEqual(expected, TableReads.readMapped(path));
    assertRowsEqual(expected, TableReads.readStream(path));
    try (LzqFile f = LzqFile.open(path)) {
      assertEquals(SampleTables.allTypes(), f.schema());
      assertEquals(rows, f.rowCount());
    }
  }

  @Test
  void streamReadsThroughAPipe() throws Exception {
    Path path = dir.resolve("p.lzq");
    List<Object[]> expected = SampleTables.allTypesRows(5000, 7);
    SampleTables.write(path, SampleTables.allTypes(), expected, 1234);
    PipedInputStream in = new PipedInputStream(4096);
    PipedOutputStream out = new PipedOutputStream(in);
    CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> {
      try (out) {
        Files.copy(path, out);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    try (InputStream pipe = in) {
      assertRowsEqual(expected, TableReads.readStream(pipe, io.lazyq.format.StreamOptions.DEFAULTS));
    }
    feeder.join();
  }

  @Test
  void statisticsDescribeEachChunk() throws Exception {
    Path path = dir.resolve("s.lzq");
    Schema schema = Schema.of(Field.of("v", ColumnType.INT64), Field.of("x", ColumnType.FLOAT32));
    try (LzqWriter w = LzqWriter.create(path, schema, WriterOptions.DEFAULTS.withChunkRows(10))) {
      for (int i = 0; i < 25; i++) {
        w.setLong(0, 100 + i);
        if (i != 12) {
          w.setFloat(1, i == 21 ? Float.NaN : -i);
        }
        w.endRow();
      }
      w.commit();
    }
    try (LzqFile f = LzqFile.open(path)) {
      ChunkIndex index = f.index();
      assertEquals(3, index.size());
      assertEquals(new ColumnStats(0, 100L, 109L), index.chunk(0).column(0).stats());
      assertEquals(new ColumnStats(0, 120L, 124L), index.chunk(2).column(0).stats());
      assertEquals(new ColumnStats(1, -19.0, -10.0), index.chunk(1).column(1).stats());
      ColumnStats withNaN = index.chunk(2).column(1).stats();
      assertEquals(-24.0, withNaN.min());
      assertTrue(Double.isNaN(withNaN.max().doubleValue()), "NaN leaves the max unbounded");
      assertEquals(List.of(0L, 10L, 20L), index.chunks().stream().map(ChunkDescriptor::firstRow).toList());
    }
  }

  @Test
  void everyBufferIsAlignedTo64Bytes() throws Exception {
    Path path = dir.resolve("a.lzq");
    SampleTables.write(path, SampleTables.allTypes(), SampleTables.allTypesRows(333, 1), 50);
    try (LzqFile f = LzqFile.open(path)) {
      for (ChunkDescriptor c : f.index().chunks()) {
        assertEquals(0, c.payloadOffset() % 64);
        for (ColumnChunk col : c.columns()) {
          assertEquals(0, (c.payloadOffset() + col.offset()) % 64);
          for (BufferRef b : List.of(col.validity(), col.offsets(), col.values())) {
            assertEquals(0, b.offset() % 64);
          }
        }
      }
    }
  }

  @Test
  void closeWithoutCommitLeavesNothingAndKeepsThePreviousFile() throws Exception {
    Path path = dir.resolve("keep.lzq");
    List<Object[]> first = SampleTables.allTypesRows(10, 1);
    SampleTables.write(path, SampleTables.allTypes(), first);
    byte[] before = Files.readAllBytes(path);
    LzqWriter w = LzqWriter.create(path, SampleTables.allTypes(), WriterOptions.DEFAULTS.withChunkRows(2));
    for (Object[] row : SampleTables.allTypesRows(9, 2)) {
      for (int c = 0; c < row.length; c++) {
        w.setObject(c, row[c]);
      }
      w.endRow();
    }
    w.close();
    try (var listing = Files.list(dir)) {
      assertEquals(List.of(path), listing.toList(), "no temporary file is left behind");
    }
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(path)));
    assertFalse(Files.exists(dir.resolve("other.lzq")));
  }
}
