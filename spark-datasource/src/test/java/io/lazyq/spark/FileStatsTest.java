package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnStats;
import io.lazyq.storage.Storage;
import io.lazyq.table.FileStats;
import io.lazyq.table.LogAction;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogCodec;
import io.lazyq.table.TableLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;

/** The column statistics that each {@code add} of the log records, against the file's rows. */
class FileStatsTest extends SparkTestBase {
  private static final Storage STORAGE = Storage.of(new Configuration());
  private static final List<String> NUMERIC = List.of("id", "x", "i", "gone");

  @Test
  void eachAddRecordsItsFilesNullCountsMinimaAndMaxima() throws Exception {
    Path t = dir.resolve("stats");
    spark.range(0, 3000, 1, 3).selectExpr("id",
        "CASE WHEN id % 7 = 0 THEN NULL WHEN id = 1500 THEN CAST('NaN' AS DOUBLE) ELSE id * 0.5 - 300 END AS x",
        "CASE WHEN id % 5 = 0 THEN NULL ELSE CAST(id % 97 AS INT) - 40 END AS i",
        "CAST(NULL AS DOUBLE) AS gone", "CAST(id AS STRING) AS s")
        .write().format("lazyq").option("chunkRows", "256").mode(SaveMode.ErrorIfExists).save(t.toString());
    List<AddFile> files = new TableLog(t.toString(), STORAGE).snapshot().files();
    assertEquals(3, files.size());
    boolean sawNaN = false;
    for (AddFile f : files) {
      String file = t.resolve(f.path()).toString();
      spark.read().format("lazyq").load(file).createOrReplaceTempView("one");
      for (String c : NUMERIC) {
        Row expected = spark.sql("SELECT count(*) - count(" + c + "), min(" + c + "), max(" + c + ") FROM one").first();
        ColumnStats s = f.stats().columns().get(c);
        assertEquals(expected.getLong(0), s.nullCount(), f.path() + " " + c);
        if (expected.isNullAt(1)) {
          assertFalse(s.hasMinMax(), f.path() + " " + c + ": no values, no range");
          continue;
        }
        assertEquals(((Number) expected.get(1)).doubleValue(), s.min().doubleValue(), f.path() + " " + c);
        assertEquals(((Number) expected.get(2)).doubleValue(), s.max().doubleValue(), f.path() + " " + c);
        sawNaN |= Double.isNaN(s.max().doubleValue());
      }
      assertEquals(0, f.stats().columns().get("s") == null ? 0 : f.stats().columns().get("s").nullCount());
    }
    assertTrue(sawNaN, "the file holding a NaN records an unbounded max");
  }

  @Test
  void statisticsSurviveTheCodecAndAnAddWithoutThemReadsAsNone() throws Exception {
    FileStats stats = new FileStats(Map.of("id", new ColumnStats(0, 3L, 9_000_000_000L),
        "x", new ColumnStats(2, -1.5, Double.NaN), "gone", ColumnStats.nullsOnly(7)));
    List<LogAction> actions = List.of(new AddFile("a.lzq", 10, 100, Map.of(), 1, stats), new AddFile("b.lzq", 1, 1,
        Map.of(), 1));
    List<LogAction> back = LogCodec.decode("t", 3, "f", LogCodec.encode(3, actions));
    assertEquals(actions, back);
    assertEquals(FileStats.NONE, ((AddFile) back.get(1)).stats());
    String broken = "{\"lazyqLog\":1,\"version\":3,\"actions\":[{\"add\":{\"path\":\"a.lzq\",\"rows\":1,\"bytes\":1,"
        + "\"stats\":{\"nullCount\":{\"x\":0},\"minValues\":{\"x\":\"low\"},\"maxValues\":{\"x\":1}}}}]}";
    io.lazyq.LazyQFormatException e = org.junit.jupiter.api.Assertions.assertThrows(io.lazyq.LazyQFormatException.class,
        () -> LogCodec.decode("t", 3, "f", broken.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("column x a bound that is no number"), e.getMessage());
  }
}
