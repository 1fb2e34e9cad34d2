package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A string column whose chunks are dictionary-encoded, or not where their strings are too many
 * distinct ones, read by Spark through the dictionary: every row, with its nulls, and the groups of
 * a group-by, against the strings as written.
 */
class DictionaryStringsTest extends SparkTestBase {
  static final int ROWS = 6000;
  static final int CHUNK_ROWS = 1000;
  static final String[] FEW = {"sensor-a", "", "température", "sensor-b", "日本語のセンサー"};
  static String[] names = new String[ROWS];
  static Path file;

  @BeforeAll
  static void writeTable() throws Exception {
    Schema schema = Schema.of(Field.of("id", ColumnType.INT32),
        new Field("name", ColumnType.UTF8, true, ColumnEncoding.PLAIN.withLossless(ColumnEncoding.Lossless.BLOCKS)));
    file = dir.resolve("names.lzq");
    try (LzqWriter w = LzqWriter.create(file, schema, WriterOptions.DEFAULTS.withChunkRows(CHUNK_ROWS))) {
      for (int i = 0; i < ROWS; i++) {
        int chunk = i / CHUNK_ROWS;
        // Chunks 3 and 5 hold a distinct string per row, too many for a dictionary.
        names[i] = i % 7 == 3 ? null : chunk == 3 || chunk == 5 ? "row-" + i : FEW[(i / 3 + chunk) % FEW.length];
        w.setInt(0, i);
        if (names[i] == null) {
          w.setNull(1);
        } else {
          w.setString(1, names[i]);
        }
        w.endRow();
      }
      w.commit();
    }
    try (LzqFile f = LzqFile.open(file)) {
      for (int c = 0; c < ROWS / CHUNK_ROWS; c++) {
        boolean dictionary = f.index().chunk(c).column(1).compression() == ColumnEncoding.Lossless.BLOCKS;
        assertEquals(c != 3 && c != 5, dictionary, "chunk " + c + " dictionary-encoded");
      }
    }
  }

  @Test
  void everyRowReadsAsWritten() {
    String[][] optionSets = {{}, {"batchRows", "8"}, {"batchRows", "24", "stream", "true"},
        {"prefetch", "2", "batchRows", "96"}};
    for (String[] options : optionSets) {
      lazyq(file, options).createOrReplaceTempView("names");
      List<Row> rows = sql("SELECT id, name FROM names ORDER BY id").rows();
      assertEquals(ROWS, rows.size());
      for (int i = 0; i < ROWS; i++) {
        assertEquals(i, rows.get(i).getInt(0));
        assertEquals(names[i], rows.get(i).getString(1), "row " + i + " " + String.join(",", options));
      }
    }
  }

  @Test
  void groupsCountEveryRowOfTheirString() {
    Map<String, long[]> expected = new HashMap<>();
    for (int i = 0; i < ROWS; i++) {
      long[] a = expected.computeIfAbsent(names[i], k -> new long[2]);
      a[0]++;
      a[1] += i;
    }
    for (String batchRows : new String[] {"4096", "40"}) {
      lazyq(file, "batchRows", batchRows).createOrReplaceTempView("names");
      List<Row> rows = sql("SELECT name, count(*), sum(id), max(length(name)) FROM names GROUP BY name").rows();
      Map<String, long[]> actual = new HashMap<>();
      for (Row r : rows) {
        actual.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
        assertEquals(r.isNullAt(0) ? null : r.getString(0).length(), r.isNullAt(3) ? null : r.getInt(3));
      }
      assertEquals(expected.size(), actual.size(), "groups, batchRows " + batchRows);
      expected.forEach((name, a) -> {
        long[] got = Objects.requireNonNull(actual.get(name), "group " + name);
        assertEquals(a[0], got[0], "rows of " + name);
        assertEquals(a[1], got[1], "sum of ids of " + name);
      });
    }
  }

  @Test
  void stringsKeptAcrossBatchesStayTheirRows() {
    // A join and a distinct hold strings of earlier batches while later ones are read.
    lazyq(file, "batchRows", "16").createOrReplaceTempView("names");
    List<Row> rows = sql("SELECT a.id, b.name FROM names a JOIN names b ON a.id = b.id + 1 WHERE b.name IS NOT NULL"
        + " ORDER BY a.id").rows();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i < ROWS; i++) {
      if (names[i - 1] != null) {
        expected.add((i) + "=" + names[i - 1]);
      }
    }
    assertEquals(expected, rows.stream().map(r -> r.getInt(0) + "=" + r.getString(1)).toList());
    List<Row> distinct = sql("SELECT DISTINCT name FROM names WHERE id < 3000 AND name IS NOT NULL ORDER BY name").rows();
    assertEquals(java.util.Arrays.stream(names, 0, 3000).filter(Objects::nonNull).distinct().sorted().toList(),
        distinct.stream().map(r -> r.getString(0)).toList());
  }
}
