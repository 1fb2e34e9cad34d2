package io.lazyq.format;

import static io.lazyq.format.TableReads.assertRowsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Columns written with the default encodings: block-encoded where it pays, read back exactly by both readers. */
class BlockEncodedColumnsTest {
  @TempDir Path dir;

  @Test
  void everyTypeWithDefaultEncodings() throws Exception {
    Path path = dir.resolve("t.lzq");
    List<Object[]> rows = SampleTables.allTypesRows(5000, 11);
    SampleTables.write(path, EncodingSpec.NONE.applyTo(SampleTables.allTypes()), rows, 1000, 3000, 7);
    assertRowsEqual(rows, TableReads.readMapped(path));
    assertRowsEqual(rows, TableReads.readStream(path));
  }

  @Test
  void sensorColumnsAreBlockEncodedAndExact() throws Exception {
    Schema schema = EncodingSpec.NONE.applyTo(Schema.of(Field.of("ts", ColumnType.TIMESTAMP),
        Field.of("sensor", ColumnType.UTF8), Field.of("pressure", ColumnType.FLOAT32),
        Field.of("level", ColumnType.FLOAT64), Field.of("count", ColumnType.INT32)));
    Random r = new Random(3);
    List<Object[]> rows = new ArrayList<>();
    float[] specials = {-0.0f, Float.NaN, Float.intBitsToFloat(0x7FC0_1234), Float.POSITIVE_INFINITY, Float.MIN_VALUE};
    for (int i = 0; i < 20_000; i++) {
      Float pressure = i % 500 < 40 ? null : (10195 + (i / 7) % 30 - 15) / 10f;
      if (r.nextInt(200) == 0) {
        pressure = specials[r.nextInt(specials.length)];
      }
      rows.add(new Object[] {1_700_000_000_000_000L + 300_000_000L * i, i % 5000 < 10 ? null : "s-" + i / 5000,
          pressure, Math.round(r.nextGaussian() * 1000) / 100.0, (i / 100) % 3 == 0 ? -9999 : 1000 + (i / 3) % 50 + r.nextInt(3)});
    }
    Path path = dir.resolve("s.lzq");
    SampleTables.write(path, schema, rows, 8192);
    assertRowsEqual(rows, TableReads.readMapped(path));
    assertRowsEqual(rows, TableReads.readStream(path));
    try (LzqFile f = LzqFile.open(path)) {
      // Integers and timestamps take whichever is smallest; here delta + zstd often is.
      for (int c = 1; c <= 3; c++) {
        for (int k = 0; k < f.index().size(); k++) {
          assertEquals(ColumnEncoding.Lossless.BLOCKS, f.index().chunk(k).column(c).compression(),
              schema.field(c).name() + " chunk " + k);
        }
      }
      assertTrue(f.index().columnBytes(2) < 20_000, "pressure in " + f.index().columnBytes(2) + " bytes");
      assertTrue(f.index().columnBytes(1) < 1_000, "sensor in " + f.index().columnBytes(1) + " bytes");
      ChunkDescriptor first = f.index().chunk(0);
      try (ColumnView v = f.column(0, 2)) {
        float[] batch = new float[first.rows() - 3];
        v.readFloats(3, batch.length, batch, 0);
        for (int i = 0; i < batch.length; i++) {
          Float expected = (Float) rows.get(3 + i)[2];
          if (expected != null) {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(batch[i]), "row " + (3 + i));
          }
        }
        assertTrue(first.column(2).stats().min().doubleValue() <= 1005.0, "min " + first.column(2).stats().min());
        assertTrue(Double.isNaN(first.column(2).stats().max().doubleValue()), "a chunk with NaN is unbounded above");
        // Decimal blocks, or one stream of the chunk's decimal integers where that is 15% smaller.
        assertTrue(v.encodingSummary().matches("blocks (decimal/|stream/decimal\\+).*"), v.encodingSummary());
        // A batch's range decodes only its blocks, as the Arrow loader reads a batch.
        for (int from : new int[] {0, 1000, first.rows() - 700}) {
          java.nio.ByteBuffer range = v.valuesRange(from, 700);
          assertEquals(2800, range.remaining());
          for (int i = 0; i < 700; i++) {
            Float expected = (Float) rows.get(from + i)[2];
            if (expected != null) {
              assertEquals(Float.floatToRawIntBits(expected), range.getInt(4 * i), "row " + (from + i) + " in a range");
            }
          }
        }
        assertTrue(v.isBlockEncoded(), "ranges leave the chunk undecoded");
      }
      // The sensor chunks are dictionary-encoded: each row's index names its string, and null rows index 0.
      for (int k = 0; k < f.index().size(); k++) {
        try (ColumnView sensor = f.column(k, 1)) {
          assertTrue(sensor.hasDictionary(), "sensor chunk " + k);
          int base = k * 8192;
          java.util.Set<String> distinct = new java.util.HashSet<>();
          for (int i = 0; i < sensor.rows(); i++) {
            String expected = (String) rows.get(base + i)[1];
            String viaDictionary = new String(sensor.dictionaryString(sensor.dictionaryId(i)),
                java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(expected, sensor.isNull(i) ? null : viaDictionary, "row " + (base + i));
            if (expected == null) {
              assertEquals(0, sensor.dictionaryId(i), "null row " + (base + i));
            } else {
              distinct.add(expected);
            }
          }
          // The dictionary holds each distinct string once (and "" where null rows took a slot).
          java.util.Set<String> dictionary = new java.util.HashSet<>();
          for (int id = 0; id < sensor.dictionarySize(); id++) {
            dictionary.add(new String(sensor.dictionaryString(id), java.nio.charset.StandardCharsets.UTF_8));
          }
          assertEquals(sensor.dictionarySize(), dictionary.size(), "distinct entries in chunk " + k);
          dictionary.remove("");
          assertEquals(distinct, dictionary, "strings of chunk " + k);
        }
      }
      try (ColumnView plain = f.column(0, 2)) {
        assertTrue(!plain.hasDictionary(), "a float column has no dictionary");
      }
      try (ColumnView ts = f.column(1, 0)) {
        java.nio.ByteBuffer range = ts.valuesRange(5, 3000);
        for (int i = 0; i < 3000; i++) {
          assertEquals((long) rows.get(first.rows() + 5 + i)[0], range.getLong(8 * i), "timestamp " + (5 + i) + " of chunk 1");
        }
      }
    }
  }

  /**
   * {@code lossless=lightweight}: number, timestamp and string chunks are block-encoded without an
   * entropy coder (no zstd frame, no stream) or stored plain, never zstd; every float comes back
   * with its exact bits (-0.0, NaN payloads, infinities, subnormals), null runs and an all-null
   * chunk included; the file records blocks, so a reader needs no option. The default writer takes
   * streams or zstd on the same rows, so the check can fail.
   */
  @Test
  void lightweightColumnsHoldNoEntropyCoder() throws Exception {
    Schema columns = Schema.of(Field.of("ts", ColumnType.TIMESTAMP), Field.of("sensor", ColumnType.UTF8),
        Field.of("pressure", ColumnType.FLOAT32), Field.of("level", ColumnType.FLOAT64), Field.of("count", ColumnType.INT32),
        Field.of("gone", ColumnType.FLOAT32), Field.of("tags", ColumnType.listOf(ColumnType.INT64)));
    Schema schema = EncodingSpec.NONE.withLossless("lightweight").applyTo(columns);
    for (int c = 0; c < 6; c++) {
      assertEquals(ColumnEncoding.Lossless.LIGHTWEIGHT, schema.field(c).encoding().lossless(), schema.field(c).name());
    }
    assertEquals(ColumnEncoding.Lossless.NONE, schema.field(6).encoding().lossless(), "a list takes no zstd instead");
    Random r = new Random(17);
    float[] specialsF = {-0.0f, Float.intBitsToFloat(0x7FC0_1234), Float.intBitsToFloat(0xFF80_0001), Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, 1e-40f};
    double[] specialsD = {-0.0, Double.longBitsToDouble(0x7FF8_0000_0000_BEEFL), Double.POSITIVE_INFINITY, Double.MIN_VALUE};
    List<Object[]> rows = new ArrayList<>();
    long pressure = 101_950;
    long level = 0;
    for (int i = 0; i < 24_576; i++) {
      pressure += Math.round(r.nextGaussian() * 30);
      level += Math.round(r.nextGaussian() * 500);
      Float p = i % 3000 < 40 ? null : r.nextInt(300) == 0 ? specialsF[r.nextInt(specialsF.length)] : pressure / 100f;
      Double l = r.nextInt(300) == 0 ? specialsD[r.nextInt(specialsD.length)] : level / 1000.0;
      // The first chunk of "gone" is all null, the rest runs of a few readings.
      Float gone = i < 8192 ? null : (float) ((i / 700) % 4) / 4;
      rows.add(new Object[] {1_700_000_000_000_000L + 1_000_000L * i + r.nextInt(1000), "s-" + (i / 3000) % 4, p, l,
          i % 700 == 0 ? null : 1000 + r.nextInt(50), gone, i % 5 == 0 ? null : new long[] {i, -i}});
    }
    Path light = dir.resolve("light.lzq");
    Path full = dir.resolve("full.lzq");
    SampleTables.write(light, schema, rows, 8192);
    SampleTables.write(full, EncodingSpec.NONE.applyTo(columns), rows, 8192);
    assertRowsEqual(rows, TableReads.readMapped(light));
    assertRowsEqual(rows, TableReads.readStream(light));
    StringBuilder defaults = new StringBuilder();
    try (LzqFile f = LzqFile.open(light); LzqFile d = LzqFile.open(full)) {
      assertEquals(ColumnEncoding.Lossless.BLOCKS, f.schema().field(2).encoding().lossless(), "recorded as blocks");
      for (int k = 0; k < f.index().size(); k++) {
        ChunkDescriptor chunk = f.index().chunk(k);
        int base = k * 8192;
        for (int c = 0; c < 7; c++) {
          ColumnEncoding.Lossless stored = chunk.column(c).compression();
          assertTrue(stored == ColumnEncoding.Lossless.BLOCKS || stored == ColumnEncoding.Lossless.NONE,
              "chunk " + k + " " + columns.field(c).name() + ": " + stored);
          try (ColumnView v = f.column(k, c); ColumnView dv = d.column(k, c)) {
            String summary = v.encodingSummary();
            assertTrue(!summary.contains("zstd") && !summary.contains("stream"), "chunk " + k + " " + columns.field(c).name()
                + ": " + summary);
            defaults.append(dv.encodingSummary()).append('\n');
            if (c == 2 || c == 5) {
              float[] got = new float[chunk.rows()];
              v.readFloats(0, got.length, got, 0);
              for (int i = 0; i < got.length; i++) {
                Float expected = (Float) rows.get(base + i)[c];
                assertEquals(expected == null, v.isNull(i), "nullness of row " + (base + i));
                if (expected != null) {
                  assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got[i]), "bits of row " + (base + i));
                }
              }
            } else if (c == 3) {
              double[] got = new double[chunk.rows()];
              v.readDoubles(0, got.length, got, 0);
              for (int i = 0; i < got.length; i++) {
                assertEquals(Double.doubleToRawLongBits((Double) rows.get(base + i)[3]), Double.doubleToRawLongBits(got[i]),
                    "bits of row " + (base + i));
              }
            }
          }
        }
      }
      assertTrue(defaults.toString().matches("(?s).*(zstd|stream).*"), "the default writer's choices:\n" + defaults);
      assertTrue(f.index().columnBytes(2) < 24_576 * 4 / 2, "pressure in " + f.index().columnBytes(2) + " bytes");
      assertTrue(f.index().columnBytes(5) < 2_000, "gone in " + f.index().columnBytes(5) + " bytes");
    }
  }

  /**
   * An error-bounded column under {@code lossless=lightweight}: readings with one decimal stay
   * exact in decimal blocks, noisy ones within the bound (in blocks or the type's own region,
   * whichever is smaller, never zstd).
   */
  @Test
  void errorBoundedLightweightColumnsStayWithinTheBound() throws Exception {
    double bound = 1e-3;
    Schema schema = EncodingSpec.parse(null, "reading=" + bound).withLossless("lightweight")
        .applyTo(Schema.of(Field.of("reading", ColumnType.FLOAT32)));
    Random r = new Random(8);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      rows.add(new Object[] {i % 900 == 1 ? null
          : i < 10_000 ? (200 + (i / 5) % 40) / 10f : (float) (20 + Math.sin(i / 50.0) + 0.01 * r.nextGaussian())});
    }
    Path path = dir.resolve("bl.lzq");
    SampleTables.write(path, schema, rows, 10_000);
    assertExactThenWithinBound(rows, path, 0, 10_000, bound);
    try (LzqFile f = LzqFile.open(path)) {
      assertEquals(ColumnEncoding.Lossless.BLOCKS, f.index().chunk(0).column(0).compression(), "decimals are blocks");
      for (int k = 0; k < f.index().size(); k++) {
        ColumnEncoding.Lossless stored = f.index().chunk(k).column(0).compression();
        assertTrue(stored == ColumnEncoding.Lossless.BLOCKS || stored == ColumnEncoding.Lossless.NONE, "chunk " + k + ": " + stored);
        try (ColumnView v = f.column(k, 0)) {
          assertTrue(stored == ColumnEncoding.Lossless.NONE || v.encodingSummary().matches("blocks (quantized|decimal)/.*")
              && !v.encodingSummary().contains("zstd"), v.encodingSummary());
        }
      }
    }
  }

  /**
   * An error-bounded column under block encodings: chunks of readings with one decimal stay
   * exact, noisy chunks are quantized within the bound, both readers agree, the stats are the
   * decoded values', and the raw blocks decode to the same values.
   */
  @Test
  void errorBoundedColumnsUseBlockEncodingsWithinTheBound() throws Exception {
    double bound = 1e-3;
    Schema schema = EncodingSpec.parse(null, "reading=" + bound).applyTo(Schema.of(Field.of("ts", ColumnType.TIMESTAMP),
        Field.of("reading", ColumnType.FLOAT32)));
    assertEquals(ColumnEncoding.Lossless.BLOCKS, schema.field(1).encoding().lossless());
    Random r = new Random(5);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 16_000; i++) {
      Float reading = i % 700 == 3 ? null
          : i < 8000 ? (200 + (i / 5) % 40) / 10f : (float) (20 + Math.sin(i / 50.0) + 0.01 * r.nextGaussian());
      rows.add(new Object[] {1_700_000_000_000_000L + 1_000_000L * i, reading});
    }
    Path path = dir.resolve("b.lzq");
    SampleTables.write(path, schema, rows, 8000);
    assertExactThenWithinBound(rows, path, 1, 8000, bound);
    try (LzqFile f = LzqFile.open(path)) {
      long plainBytes = 0;
      for (int k = 0; k < f.index().size(); k++) {
        ChunkDescriptor chunk = f.index().chunk(k);
        assertEquals(ColumnEncoding.Lossless.BLOCKS, chunk.column(1).compression(), "chunk " + k);
        plainBytes += 4L * chunk.rows();
        try (ColumnView v = f.column(k, 1)) {
          assertTrue(v.isQuantized());
          float[] values = new float[chunk.rows()];
          v.readFloats(0, values.length, values, 0);
          float min = Float.MAX_VALUE;
          float max = -Float.MAX_VALUE;
          for (int i = 0; i < values.length; i++) {
            if (!v.isNull(i)) {
              min = Math.min(min, values[i]);
              max = Math.max(max, values[i]);
            }
          }
          assertEquals(min, chunk.column(1).stats().min().floatValue(), "min of chunk " + k);
          assertEquals(max, chunk.column(1).stats().max().floatValue(), "max of chunk " + k);
          RowBlocks raw = new RowBlocks(v);
          java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
          for (int row = 0; row < chunk.rows(); row++) {
            bytes.writeBytes(raw.get(row));
          }
          float[] fromRaw = decodeRawBlocks(bytes.toByteArray(), values.length);
          for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(fromRaw[i]), "raw value " + i + " of chunk " + k);
          }
        }
      }
      // One decimal at 1e-3 needs 9 bits a value before any run or delta; the noisy half about 12.
      assertTrue(f.index().columnBytes(1) < plainBytes * 0.3, f.index().columnBytes(1) + " bytes of " + plainBytes);
    }
  }

  /**
   * Both readers agree on {@code path}; float {@code column} of its rows has the bits of {@code rows}'
   * before row {@code exactRows} (decimals coarser than the bound) and is within {@code bound} after.
   */
  private static void assertExactThenWithinBound(List<Object[]> rows, Path path, int column, int exactRows, double bound)
      throws Exception {
    List<Object[]> mapped = TableReads.readMapped(path);
    assertRowsEqual(mapped, TableReads.readStream(path));
    for (int i = 0; i < rows.size(); i++) {
      Float expected = (Float) rows.get(i)[column];
      Float got = (Float) mapped.get(i)[column];
      if (expected == null) {
        assertEquals(null, got, "row " + i);
      } else if (i < exactRows) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got), "row " + i + " is a decimal coarser than the bound");
      } else {
        assertTrue(Math.abs((double) got - expected) <= bound, "row " + i + ": " + got + " for " + expected);
      }
    }
  }

  /** Error-bounded blocks laid end to end, as {@link RowBlocks} shows them: read with the type's own block layout. */
  private static float[] decodeRawBlocks(byte[] blocks, int n) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(blocks).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[n];
    int at = 0;
    for (int i = 0; i < n; i += 128) {
      int m = Math.min(128, n - i);
      int w = b.get(at) & 0xFF;
      if (w == 0) {
        java.util.Arrays.fill(out, i, i + m, b.getFloat(at + 1));
        at += 5;
        continue;
      }
      assertEquals(32, w, "exact blocks are constant or verbatim");
      for (int j = 0; j < m; j++) {
        out[i + j] = b.getFloat(at + 1 + 4 * j);
      }
      at += 1 + 4 * m;
    }
    return out;
  }
}
