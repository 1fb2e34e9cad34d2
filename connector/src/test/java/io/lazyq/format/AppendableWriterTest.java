package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendableWriterTest {
  @TempDir Path dir;

  private static final Schema SCHEMA = Schema.of(
      Field.of("ts", ColumnType.parse("timestamp")), Field.of("v", ColumnType.parse("float64")));

  @Test
  void eachChunkIsReadableWhenFlushChunkReturns() throws IOException {
    Path file = dir.resolve("growing.lzq");
    List<Long> ends = new ArrayList<>();
    try (LzqWriter w = LzqWriter.appendable(file, SCHEMA, WriterOptions.DEFAULTS)) {
      assertEquals(0, tailRows(file).size());
      for (int chunk = 0; chunk < 5; chunk++) {
        for (int r = 0; r <= chunk; r++) {
          w.setLong(0, chunk * 100L + r).setDouble(1, r * 0.5).endRow();
        }
        w.flushChunk();
        ends.add(Files.size(file));
        List<Long> seen = tailRows(file);
        assertEquals((chunk + 1) * (chunk + 2) / 2, seen.size(), "rows after chunk " + chunk);
        assertEquals(chunk * 100L + chunk, seen.get(seen.size() - 1));
        ChunkFrames frames = ChunkFrames.scan(file);
        assertEquals(chunk + 1, frames.chunks());
        assertEquals(chunk + 1, frames.rows()[chunk]);
        assertFalse(frames.finished());
      }
      w.commit();
    }
    assertTrue(ChunkFrames.scan(file).finished());
    try (LzqFile f = LzqFile.open(file)) {
      assertEquals(15, f.rowCount());
    }
  }

  /** A reader that gets ahead of the writer, at any byte, sees only the chunks whose frames are whole. */
  @Test
  void aTornTailReadsAsNotYetComplete() throws Exception {
    Path file = dir.resolve("whole.lzq");
    List<Long> chunkEnds = new ArrayList<>();
    long firstChunk;
    try (LzqWriter w = LzqWriter.appendable(file, SCHEMA, WriterOptions.DEFAULTS)) {
      firstChunk = w.bytesWritten();
      for (int chunk = 0; chunk < 4; chunk++) {
        for (int r = 0; r < 50; r++) {
          w.setLong(0, chunk * 100L + r).setDouble(1, r).endRow();
        }
        long before = w.bytesWritten();
        w.flushChunk();
        // The payload ends before the padding; a chunk is complete as soon as its payload is.
        chunkEnds.add(before + FileLayout.FRAME_HEADER_BYTES + payloadLength(file, before));
      }
      w.commit();
    }
    byte[] bytes = Files.readAllBytes(file);
    Path torn = dir.resolve("torn.lzq");
    for (long cut = firstChunk; cut < bytes.length; cut += 7) {
      Files.write(torn, Arrays.copyOf(bytes, (int) cut));
      final long at = cut;
      long complete = chunkEnds.stream().filter(e -> e <= at).count();
      assertEquals(complete * 50, tailRows(torn).size(), "cut at " + cut);
      assertEquals(complete, ChunkFrames.scan(torn).chunks(), "cut at " + cut);
      assertEquals(tailRows(torn), mappedRows(torn), "cut at " + cut);
    }
  }

  /** The seekable reader maps a growing file's complete chunks, reading frames where there is no footer yet. */
  @Test
  void aGrowingFileOpensForRandomAccessAtItsCompleteChunks() throws Exception {
    Path file = dir.resolve("random.lzq");
    try (LzqWriter w = LzqWriter.appendable(file, SCHEMA, WriterOptions.DEFAULTS)) {
      for (int chunk = 0; chunk < 3; chunk++) {
        for (int r = 0; r < 10; r++) {
          w.setLong(0, chunk * 100L + r).setDouble(1, r / 4.0).endRow();
        }
        w.flushChunk();
        try (LzqFile f = LzqFile.openAppending(file)) {
          assertEquals(10L * (chunk + 1), f.rowCount());
          assertEquals(chunk + 1, f.index().size());
          assertEquals(ChunkFrames.scan(file).end(), f.fileSize());
          try (var v = f.column(chunk, 1)) {
            assertEquals(2.25, v.getDouble(9));
          }
        }
        assertEquals(tailRows(file), mappedRows(file));
      }
      w.commit();
    }
    try (LzqFile f = LzqFile.openAppending(file); LzqFile g = LzqFile.open(file)) {
      assertEquals(g.index(), f.index());
      assertEquals(g.fileSize(), f.fileSize());
    }
  }

  /** A finished file whose footer is damaged is refused, not read as if it were still growing. */
  @Test
  void aDamagedFooterIsNotMistakenForAGrowingFile() throws IOException {
    Path file = dir.resolve("done.lzq");
    try (LzqWriter w = LzqWriter.appendable(file, SCHEMA, WriterOptions.DEFAULTS)) {
      w.setLong(0, 1).setDouble(1, 2).endRow();
      w.commit();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) ChunkFrames.scan(file).end() - 1] ^= 1; // the footer's last byte
    Files.write(file, bytes);
    assertThrows(LazyQFormatException.class, () -> LzqFile.openAppending(file).close());
  }

  private static List<Long> mappedRows(Path file) throws Exception {
    List<Long> ts = new ArrayList<>();
    try (LzqFile f = LzqFile.openAppending(file)) {
      for (int c = 0; c < f.index().size(); c++) {
        try (var v = f.column(c, 0)) {
          for (int r = 0; r < v.rows(); r++) {
            ts.add(v.getLong(r));
          }
        }
      }
    }
    return ts;
  }

  private static long payloadLength(Path file, long frameOffset) throws IOException {
    byte[] b = Files.readAllBytes(file);
    return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong((int) frameOffset + 8);
  }

  private static List<Long> tailRows(Path file) throws IOException {
    List<Long> ts = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        LzqStream s = LzqStream.open(in, file.toString(), StreamOptions.DEFAULTS.withTail(true))) {
      while (s.next()) {
        for (int r = 0; r < s.chunk().rows(); r++) {
          ts.add(s.column(0).getLong(r));
        }
      }
    }
    return ts;
  }
}
