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
        assertTrue(v.encodingSummary().startsWith("blocks decimal/"), v.encodingSummary());
      }
    }
  }
}
