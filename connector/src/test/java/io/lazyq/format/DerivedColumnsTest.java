package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import io.lazyq.storage.BufferPool;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code lossless=smallest}, or under an error bound, columns that follow from others in their
 * chunk are stored as derivations (a humidity from city, dew point and temperature with a few rows
 * that differ; a cumulated precipitation, the running sum of the hourly one reset at dry hours) and
 * read back bit for bit, alone (their sources read with them and released) and through the
 * sequential reader; under an error bound within it, with stats that hold every value. The default
 * lossless stage derives nothing. A derivation whose sources are bad is refused naming the file.
 */
class DerivedColumnsTest {
  private static final int ROWS = 60_000;
  private static final String[] CITIES = {"Beijing", "Chengdu", "Guangzhou"};
  private static final int CITY = 0;
  private static final int DEWP = 1;
  private static final int TEMP = 2;
  private static final int HUMI = 3;
  private static final int PREC = 4;
  private static final int IPREC = 5;

  @TempDir Path dir;

  private static Schema schema() {
    return Schema.of(Field.of("city", ColumnType.UTF8), Field.of("DEWP", ColumnType.FLOAT32),
        Field.of("TEMP", ColumnType.FLOAT32), Field.of("HUMI", ColumnType.FLOAT32),
        Field.of("precipitation", ColumnType.FLOAT32), Field.of("Iprec", ColumnType.FLOAT32));
  }

  /** Rows of a weather table, with the rows whose humidity breaks the rule counted in {@code odd}. */
  private static List<Object[]> rows(long seed) {
    Random r = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    float iprec = 0f;
    float dew = 5;
    float temp = 15;
    for (int i = 0; i < ROWS; i++) {
      int city = i * CITIES.length / ROWS;
      dew = Math.max(-30, Math.min(28, dew + r.nextInt(3) - 1));
      temp = Math.max(dew, Math.min(40, temp + r.nextInt(5) - 2));
      double magnus = 100 * Math.exp(17.625 * dew / (243.04 + dew) - 17.625 * temp / (243.04 + temp));
      // Each city rounds differently, as the real stations do.
      float humi = city == 0 ? Math.round(magnus) : Math.round(magnus * 100) / 100f;
      if (r.nextInt(500) == 0) {
        humi += 1; // a reading that breaks the rule
      }
      float prec = r.nextInt(10) < 8 ? 0f : r.nextInt(40) / 10f;
      iprec = prec == 0f ? 0f : iprec + prec;
      Float h = r.nextInt(200) == 0 ? null : humi;
      rows.add(new Object[] {CITIES[city], dew, temp, h, prec, iprec});
    }
    return rows;
  }

  private Path write(Schema schema, List<Object[]> rows, String name) throws Exception {
    Path path = dir.resolve(name);
    SampleTables.write(path, EncodingSpec.NONE.withLossless("smallest").applyTo(schema), rows, 40_000);
    return path;
  }

  @Test
  void theDefaultStageKeepsEveryColumnItsOwn() throws Exception {
    Path path = dir.resolve("default.lzq");
    SampleTables.write(path, EncodingSpec.NONE.applyTo(schema()), rows(5), 40_000);
    try (LzqFile f = LzqFile.open(path)) {
      for (ChunkDescriptor chunk : f.index().chunks()) {
        for (int c = DEWP; c <= IPREC; c++) {
          assertEquals(ColumnEncoding.Lossless.BLOCKS, chunk.column(c).compression(), "column " + c);
        }
      }
    }
  }

  @Test
  void derivedColumnsReadBackBitForBit() throws Exception {
    List<Object[]> rows = rows(1);
    Path path = write(schema(), rows, "w.lzq");
    long before = BufferPool.shared().outstanding();
    try (LzqFile f = LzqFile.open(path)) {
      int first = 0;
      for (ChunkDescriptor chunk : f.index().chunks()) {
        assertEquals(ColumnEncoding.Lossless.DERIVED, chunk.column(HUMI).compression(), "humidity, chunk " + chunk.ordinal());
        assertEquals(ColumnEncoding.Lossless.DERIVED, chunk.column(IPREC).compression(), "Iprec, chunk " + chunk.ordinal());
        for (int c : new int[] {HUMI, IPREC}) {
          try (ColumnView v = f.column(chunk.ordinal(), c)) {
            check(rows, first, chunk.rows(), c, v, 0);
            String summary = v.encodingSummary();
            assertTrue(summary.startsWith(c == HUMI ? "derived lookup(" : "derived running-sum(precipitation)"), summary);
          }
        }
        first += chunk.rows();
      }
      assertEquals(before, BufferPool.shared().outstanding(), "sources read for a derived column are released");
    }
    try (InputStream in = Files.newInputStream(path);
        LzqStream s = LzqStream.open(in, path.toString(), StreamOptions.DEFAULTS)) {
      int first = 0;
      while (s.next()) {
        for (int c = 0; c < 6; c++) {
          if (c != CITY) {
            check(rows, first, s.chunk().rows(), c, s.column(c), 0);
          }
        }
        first += s.chunk().rows();
      }
      assertEquals(ROWS, first);
    }
  }

  @Test
  void derivedColumnsStaySmallerThanTheirOwnEncoding() throws Exception {
    List<Object[]> rows = rows(2);
    Path path = write(schema(), rows, "w.lzq");
    // The humidity alone, with nothing to derive it from.
    List<Object[]> alone = new ArrayList<>();
    for (Object[] row : rows) {
      alone.add(new Object[] {row[HUMI]});
    }
    Path own = dir.resolve("own.lzq");
    SampleTables.write(own, EncodingSpec.NONE.applyTo(Schema.of(Field.of("HUMI", ColumnType.FLOAT32))), alone, 40_000);
    try (LzqFile f = LzqFile.open(path); LzqFile g = LzqFile.open(own)) {
      for (ChunkDescriptor chunk : f.index().chunks()) {
        long derived = chunk.column(HUMI).length();
        long stored = g.index().chunk(chunk.ordinal()).column(0).length();
        assertEquals(ColumnEncoding.Lossless.BLOCKS, g.index().chunk(chunk.ordinal()).column(0).compression());
        assertTrue(derived < stored / 3, "humidity derived in " + derived + " bytes, alone in " + stored);
      }
    }
  }

  @Test
  void underAnErrorBoundEveryValueIsWithinItAndInsideTheStats() throws Exception {
    List<Object[]> rows = rows(3);
    Schema schema = EncodingSpec.parse(null, "0.01").applyTo(schema());
    Path path = dir.resolve("b.lzq");
    SampleTables.write(path, schema, rows, 40_000);
    try (LzqFile f = LzqFile.open(path)) {
      int first = 0;
      for (ChunkDescriptor chunk : f.index().chunks()) {
        assertEquals(ColumnEncoding.Lossless.DERIVED, chunk.column(HUMI).compression());
        try (ColumnView v = f.column(chunk.ordinal(), HUMI)) {
          check(rows, first, chunk.rows(), HUMI, v, 0.01);
          ColumnStats stats = chunk.column(HUMI).stats();
          for (int i = 0; i < chunk.rows(); i++) {
            if (!v.isNull(i)) {
              float x = v.getFloat(i);
              assertTrue(x >= stats.min().doubleValue() && x <= stats.max().doubleValue(), "row " + i + ": " + x + " outside " + stats);
            }
          }
        }
        first += chunk.rows();
      }
    }
  }

  @Test
  void aSourceThatIsItselfDerivedIsRefused() throws Exception {
    Path path = write(schema(), rows(4), "w.lzq");
    long header = derivationAt(path, IPREC);
    // Point Iprec's running sum at humidity, itself derived.
    try (FileChannel c = FileChannel.open(path, StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) HUMI), header + 2);
    }
    long before = BufferPool.shared().outstanding();
    try (LzqFile f = LzqFile.open(path, false)) {
      LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> f.column(0, IPREC));
      assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("itself derived"), e.getMessage());
      // And at itself.
      try (FileChannel c = FileChannel.open(path, StandardOpenOption.WRITE)) {
        c.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) IPREC), header + 2);
      }
      e = assertThrows(LazyQFormatException.class, () -> f.column(0, IPREC));
      assertTrue(e.getMessage().contains("cannot be a source"), e.getMessage());
      assertEquals(before, BufferPool.shared().outstanding());
    }
  }

  @Test
  void damagedDerivationHeadersAreRefusedNamingTheFile() throws Exception {
    Path path = write(schema(), rows(6), "w.lzq");
    long header = derivationAt(path, HUMI);
    byte[] original = Files.readAllBytes(path);
    // HUMI's lookup has three sources: its counts start at byte 8 (u8 rule, u8 sources, 3 x u16).
    int[][] damage = {
        {0, 9}, // an unknown rule
        {1, 0}, // no source
        {1, 4}, // more sources than a lookup takes
        {8, 0xFF, 0xFF, 0xFF, 0x7F}, // more mismatches than rows
        {12, 0, 0, 0, 0}, // no explicit value, fewer than mismatches
        {16, 1, 0, 0, 0}, // parts that do not fill the buffer
        {20, 0xFF, 0xFF, 0xFF, 0xFF}, // an explicit region longer than the buffer
    };
    long before = BufferPool.shared().outstanding();
    for (int[] d : damage) {
      byte[] bytes = original.clone();
      for (int i = 1; i < d.length; i++) {
        bytes[(int) header + d[0] + i - 1] = (byte) d[i];
      }
      Files.write(path, bytes);
      try (LzqFile f = LzqFile.open(path, false)) {
        LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> f.column(0, HUMI).close(),
            "damage at " + d[0]);
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
      }
      try (InputStream in = Files.newInputStream(path);
          LzqStream s = LzqStream.open(in, path.toString(), new StreamOptions(false, false))) {
        assertTrue(s.next());
        assertThrows(LazyQFormatException.class, () -> s.column(HUMI), "damage at " + d[0]);
      }
      assertEquals(before, BufferPool.shared().outstanding(), "damage at " + d[0]);
    }
  }

  /** Where the first chunk's derivation of column {@code c} starts in the file. */
  private static long derivationAt(Path path, int c) throws Exception {
    try (LzqFile f = LzqFile.open(path)) {
      ChunkDescriptor chunk = f.index().chunk(0);
      ColumnChunk col = chunk.column(c);
      return chunk.payloadOffset() + col.offset() + col.values().offset();
    }
  }

  /** Every value of column {@code c} in rows {@code [first, first + n)}, bit for bit or within {@code bound}. */
  private static void check(List<Object[]> rows, int first, int n, int c, ColumnView v, double bound) {
    float[] got = new float[n];
    v.readFloats(0, n, got, 0);
    for (int i = 0; i < n; i++) {
      Object want = rows.get(first + i)[c];
      assertEquals(want == null, v.isNull(i), "null, row " + (first + i));
      if (want == null) {
        continue;
      }
      float w = (Float) want;
      if (bound == 0) {
        assertEquals(Float.floatToRawIntBits(w), Float.floatToRawIntBits(got[i]), "column " + c + ", row " + (first + i));
      } else {
        assertTrue(Math.abs(got[i] - w) <= bound, "column " + c + ", row " + (first + i) + ": " + got[i] + " for " + w);
      }
    }
  }
}
