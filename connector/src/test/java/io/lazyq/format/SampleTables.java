package io.lazyq.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic tables of every column type, written to {@code .lzq} files, with the rows kept in
 * memory as the independent expectation. Shared with other modules' tests through the test jar.
 */
public final class SampleTables {
  private SampleTables() {}

  /** One column of every type, all nullable, plain. */
  public static Schema allTypes() {
    return Schema.of(
        Field.of("i32", ColumnType.INT32),
        Field.of("i64", ColumnType.INT64),
        Field.of("f32", ColumnType.FLOAT32),
        Field.of("f64", ColumnType.FLOAT64),
        Field.of("flag", ColumnType.BOOL),
        Field.of("name", ColumnType.UTF8),
        Field.of("ts", ColumnType.TIMESTAMP),
        Field.of("window", ColumnType.listOf(ColumnType.FLOAT32)),
        Field.of("counts", ColumnType.listOf(ColumnType.INT64)),
        Field.of("bits", ColumnType.listOf(ColumnType.BOOL)));
  }

  /** Rows for {@link #allTypes()}: about one value in seven is null, one string in five is empty. */
  public static List<Object[]> allTypesRows(int count, long seed) {
    Random r = new Random(seed);
    List<Object[]> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Object[] row = new Object[10];
      row[0] = r.nextInt();
      row[1] = r.nextLong();
      row[2] = i % 97 == 3 ? Float.NaN : (float) r.nextGaussian() * 100;
      row[3] = r.nextDouble() * 1e6 - 5e5;
      row[4] = r.nextBoolean();
      row[5] = r.nextInt(5) == 0 ? "" : "s-" + r.nextInt(1000) + (r.nextInt(10) == 0 ? "-é✓" : "");
      row[6] = 1_700_000_000_000_000L + i * 1000L;
      float[] w = new float[r.nextInt(9)];
      for (int j = 0; j < w.length; j++) {
        w[j] = r.nextFloat();
      }
      row[7] = w;
      long[] c = new long[r.nextInt(4)];
      for (int j = 0; j < c.length; j++) {
        c[j] = r.nextInt(100);
      }
      row[8] = c;
      boolean[] b = new boolean[r.nextInt(11)];
      for (int j = 0; j < b.length; j++) {
        b[j] = r.nextBoolean();
      }
      row[9] = b;
      for (int col = 0; col < row.length; col++) {
        if (r.nextInt(7) == 0) {
          row[col] = null;
        }
      }
      rows.add(row);
    }
    return rows;
  }

  /** Writes rows, cutting chunks at the given sizes in turn (the last size repeats). */
  public static void write(Path path, Schema schema, List<Object[]> rows, int... chunkSizes) throws IOException {
    try (LzqWriter w = LzqWriter.create(path, schema, WriterOptions.DEFAULTS)) {
      int size = 0;
      int inChunk = 0;
      for (Object[] row : rows) {
        for (int c = 0; c < row.length; c++) {
          w.setObject(c, row[c]);
        }
        w.endRow();
        inChunk++;
        if (chunkSizes.length > 0 && inChunk == chunkSizes[Math.min(size, chunkSizes.length - 1)]) {
          w.flushChunk();
          size++;
          inChunk = 0;
        }
      }
      w.commit();
    }
  }
}
