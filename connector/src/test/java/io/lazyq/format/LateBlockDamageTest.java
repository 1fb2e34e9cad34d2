package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lazyq.LazyQFormatException;
import io.lazyq.testing.Reseal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose checksums all match but whose float column holds a damaged late block: the column
 * opens and its early rows read, the read that reaches the block is refused, and
 * {@code lazyq verify}'s check ({@link LzqCheck}) reports it with the file and the block's offset.
 */
class LateBlockDamageTest {
  private static final int ROWS = 10 * 1024 + 300;
  private static final int LATE = 8;

  @TempDir Path dir;

  @Test
  void aDamagedLateBlockIsFoundByTheReadThatReachesItAndByVerify() throws Exception {
    Schema schema = Schema.of(Field.of("level", ColumnType.FLOAT32)
        .withEncoding(ColumnEncoding.PLAIN.withLossless(ColumnEncoding.Lossless.LIGHTWEIGHT)));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(new Object[] {(2000 + (i * 37) % 501) / 100f}); // two decimals: decimal blocks
    }
    Path good = dir.resolve("good.lzq");
    SampleTables.write(good, schema, rows);
    byte[] bytes = Files.readAllBytes(good);
    long region;
    try (LzqFile f = LzqFile.open(good)) {
      ChunkDescriptor chunk = f.index().chunk(0);
      ColumnChunk col = chunk.column(0);
      assertEquals(ColumnEncoding.Lossless.BLOCKS, col.compression());
      region = chunk.payloadOffset() + col.offset() + col.values().offset();
    }
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long block = region + bb.getInt((int) region + 4 + 4 * LATE);
    assertEquals(6, bytes[(int) block], "block " + LATE + " is a decimal block");
    bytes[(int) block + 1] = 99; // its exponent, out of range
    Path damaged = dir.resolve("damaged.lzq");
    Files.write(damaged, Reseal.of(bytes));

    try (LzqFile f = LzqFile.open(damaged); ColumnView v = f.column(0, 0)) {
      float[] early = new float[LATE * 1024];
      v.readFloats(0, early.length, early, 0);
      for (int i = 0; i < early.length; i++) {
        assertEquals(Float.floatToRawIntBits((Float) rows.get(i)[0]), Float.floatToRawIntBits(early[i]), "row " + i);
      }
      try {
        v.readFloats(LATE * 1024L - 10, 20, new float[20], 0);
        fail("read a damaged block");
      } catch (Exception e) {
        assertTrue(e instanceof LazyQFormatException, e.toString());
        LazyQFormatException x = (LazyQFormatException) e;
        assertEquals("block 8: decimal exponent 99 out of range", x.problem());
        assertEquals(damaged.toString(), x.source(), "the read names the file");
        assertEquals(block, x.offset(), "and the block's offset in it");
      }
    }

    LzqCheck.Report report = LzqCheck.check(damaged);
    assertEquals(1, report.damages().size(), report.damages().toString());
    LzqCheck.Damage d = report.damages().get(0);
    assertEquals(damaged.toString(), d.file());
    assertEquals(block, d.offset());
    assertEquals("level", d.column());
    assertTrue(d.problem().contains("block 8: decimal exponent 99 out of range"), d.problem());
    assertTrue(LzqCheck.check(good).intact());
  }
}
