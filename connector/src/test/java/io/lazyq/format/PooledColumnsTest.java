package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import io.lazyq.storage.BufferPool;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local file's block-encoded columns are read into the shared pool's buffers, which go back when
 * the views close, read or not, and when a read fails partway.
 */
class PooledColumnsTest {
  private static final int ROWS = 20_000;
  private static final int[] DECODED = {0, 1, 2, 3};

  @TempDir Path dir;

  private Path write() throws Exception {
    Schema schema = EncodingSpec.NONE.applyTo(Schema.of(Field.of("a", ColumnType.FLOAT32), Field.of("b", ColumnType.FLOAT32),
        Field.of("c", ColumnType.FLOAT64), Field.of("d", ColumnType.FLOAT32)));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(new Object[] {(1000 + i % 70) / 10f, (i / 9) / 4f, (i % 1234) / 100.0, (50_000 - i) / 100f});
    }
    Path path = dir.resolve("p.lzq");
    SampleTables.write(path, schema, rows, ROWS);
    return path;
  }

  @Test
  void viewsClosedUnreadGiveTheirBuffersBack() throws Exception {
    Path path = write();
    long before = BufferPool.shared().outstanding();
    try (LzqFile f = LzqFile.open(path)) {
      for (int c : DECODED) {
        assertEquals(ColumnEncoding.Lossless.BLOCKS, f.index().chunk(0).column(c).compression(), "column " + c);
      }
      ColumnView[] views = f.columns(0, DECODED);
      assertEquals(before + 1, BufferPool.shared().outstanding(), "neighbouring columns share one buffer");
      for (ColumnView v : views) {
        v.close();
      }
      assertEquals(before, BufferPool.shared().outstanding());
      assertEquals(0, f.mappingStats().liveMappings());
      try (ColumnView v = f.column(0, 3)) {
        float[] d = new float[ROWS];
        v.readFloats(0, ROWS, d, 0);
        for (int i = 0; i < ROWS; i++) {
          assertEquals(Float.floatToRawIntBits((50_000 - i) / 100f), Float.floatToRawIntBits(d[i]), "row " + i);
        }
      }
      assertEquals(before, BufferPool.shared().outstanding());
    }
  }

  @Test
  void aFileCutUnderAChunkFailsAndGivesEveryBufferBack() throws Exception {
    Path path = write();
    long before = BufferPool.shared().outstanding();
    try (LzqFile f = LzqFile.open(path)) {
      ChunkDescriptor chunk = f.index().chunk(0);
      long cut = chunk.payloadOffset() + chunk.column(3).offset() + 10;
      try (FileChannel c = FileChannel.open(path, StandardOpenOption.WRITE)) {
        c.truncate(cut);
      }
      LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> f.columns(0, DECODED));
      assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("unexpected end of file"), e.getMessage());
      assertEquals(before, BufferPool.shared().outstanding());
      assertEquals(0, f.mappingStats().liveMappings());
    }
  }
}
