package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.cli.LazyQ;
import io.lazyq.storage.Storage;
import io.lazyq.table.LogEntry;
import io.lazyq.table.TableLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Reads every version of a table written by appends and overwrites, by number and by time, and lists them. */
class TimeTravelTest extends SparkTestBase {
  private static final int VERSIONS = 30;
  /** A new table's version 0 holds only the schema; the first write's rows arrive at version 1. */
  private static final List<Expected> EXPECTED = new ArrayList<>();
  private static Path table;

  /** What a version holds: its rows, the sum of x, its columns and the operation that made it. */
  record Expected(long rows, double sum, int columns, String operation) {}

  @BeforeAll
  static void writeVersions() {
    table = dir.resolve("travel");
    EXPECTED.add(new Expected(0, 0, 2, "create"));
    long rows = 0;
    double sum = 0;
    int columns = 2;
    for (int v = 1; v < VERSIONS; v++) {
      boolean overwrite = v % 7 == 3;
      columns = v >= 17 ? 3 : 2; // version 17 overwrites with a third column
      if (v == 17) {
        overwrite = true;
      }
      long n = 3 + v % 5;
      long from = 100L * v;
      Dataset<Row> df = spark.range(from, from + n, 1, 2).selectExpr("id", "CAST(id AS DOUBLE) * 0.5 AS x");
      if (columns == 3) {
        df = df.selectExpr("id", "x", "'v" + v + "' AS tag");
      }
      df.write().format("lazyq").mode(v == 1 ? SaveMode.ErrorIfExists : overwrite ? SaveMode.Overwrite
          : SaveMode.Append).save(table.toString());
      double written = 0.5 * (n * from + n * (n - 1) / 2);
      rows = overwrite ? n : rows + n;
      sum = overwrite ? written : sum + written;
      EXPECTED.add(new Expected(rows, sum, columns, overwrite ? "overwrite" : "append"));
    }
  }

  @Test
  void everyVersionReadsAsWritten() {
    for (int v = 1; v < VERSIONS; v++) {
      Dataset<Row> df = lazyq(table, "versionAsOf", String.valueOf(v));
      Row r = df.selectExpr("count(*)", "sum(x)").first();
      Expected e = EXPECTED.get(v);
      assertEquals(e.rows(), r.getLong(0), "rows of version " + v);
      assertEquals(e.sum(), r.getDouble(1), 1e-9, "sum of version " + v);
      assertEquals(e.columns(), df.columns().length, "columns of version " + v);
    }
    assertEquals(EXPECTED.get(VERSIONS - 1).rows(), lazyq(table).count(), "without an option, the latest");
  }

  @Test
  void aTimeReadsTheLatestVersionCommittedByThen() throws Exception {
    List<LogEntry> log = new TableLog(table.toString(), Storage.of(new Configuration())).entries();
    assertEquals(VERSIONS, log.size());
    for (int v : new int[] {1, 5, 17, 28, 29}) {
      long committed = log.get(v).commitInfo().orElseThrow().timestamp();
      assertEquals(EXPECTED.get(v).rows(), lazyq(table, "timestampAsOf", Instant.ofEpochMilli(committed).toString())
          .count(), "at the commit of version " + v);
      long next = v + 1 < VERSIONS ? log.get(v + 1).commitInfo().orElseThrow().timestamp() : committed + 60_000;
      if (next - 1 > committed) {
        assertEquals(EXPECTED.get(v).rows(), lazyq(table, "timestampAsOf", Instant.ofEpochMilli(next - 1).toString())
            .count(), "just before the commit after version " + v);
      }
    }
  }

  @Test
  void aVersionOrTimeTheLogLacksFailsNamingTheVersionsThereAre() throws Exception {
    String missing = failure(() -> lazyq(table, "versionAsOf", "30").count());
    assertTrue(missing.contains("has no version 30") && missing.contains("versions available: 0 to 29")
        && missing.contains(table.getFileName().toString()), missing);

    long first = new TableLog(table.toString(), Storage.of(new Configuration())).entries().get(0).commitInfo()
        .orElseThrow().timestamp();
    String early = failure(() -> lazyq(table, "timestampAsOf", Instant.ofEpochMilli(first - 1000).toString())
        .count());
    assertTrue(early.contains("no version committed at or before") && early.contains("versions available: 0 to 29"),
        early);

    String both = failure(() -> lazyq(table, "versionAsOf", "3", "timestampAsOf", "2026-01-31").count());
    assertTrue(both.contains("give one of them"), both);
  }

  @Test
  void historyListsEveryVersionNewestFirst() {
    StringWriter out = new StringWriter();
    CommandLine cli = LazyQ.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(LazyQ.OK, cli.execute("history", table.toString()));
    List<String> lines = out.toString().lines().toList();
    assertEquals(VERSIONS + 1, lines.size(), out.toString());
    for (int i = 1; i <= VERSIONS; i++) {
      String[] cells = lines.get(i).trim().split("\\s+");
      int v = VERSIONS - i;
      Expected e = EXPECTED.get(v);
      assertEquals(String.valueOf(v), cells[0], lines.get(i));
      assertEquals(e.operation(), cells[2], lines.get(i));
      assertEquals(String.format(Locale.ROOT, "%,d", e.rows()), cells[5], lines.get(i));
    }

    StringWriter json = new StringWriter();
    cli.setOut(new PrintWriter(json));
    assertEquals(LazyQ.OK, cli.execute("history", "--json", table.toString()));
    assertTrue(json.toString().contains("\"operation\" : \"overwrite\""), json.toString());
  }

  private static String failure(org.junit.jupiter.api.function.Executable query) {
    Throwable t = assertThrows(Throwable.class, query);
    StringBuilder messages = new StringBuilder();
    for (; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }
}
