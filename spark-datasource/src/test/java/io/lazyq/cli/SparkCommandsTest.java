package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.SampleTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SparkCommandsTest {
  @TempDir static Path dir;

  @AfterAll
  static void stopSpark() {
    SparkSession.active().stop();
  }

  record Run(int code, String out, String err) {}

  static Run lazyq(String... args) {
    CommandLine cli = LazyQ.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void sqlPrintsResultsInEachFormatAndMetricsOnStderr() throws Exception {
    Path file = dir.resolve("t.lzq");
    List<Object[]> rows = SampleTables.allTypesRows(500, 3);
    SampleTables.write(file, SampleTables.allTypes(), rows, 100);
    long nonNull = rows.stream().filter(r -> r[0] != null).count();

    Run csv = lazyq("sql", "SELECT count(i32) AS n, 'a,b' AS s FROM t", "--table", "t=" + file, "--format", "csv",
        "--metrics");
    assertEquals(0, csv.code(), csv.err());
    assertEquals("n,s\n" + nonNull + ",\"a,b\"\n", csv.out());
    assertTrue(csv.err().contains("bytesMapped="), csv.err());

    Run jsonl = lazyq("sql", "SELECT count(*) AS n FROM t", "--table", "t=" + file, "--format", "jsonl");
    assertEquals("{\"n\":500}\n", jsonl.out());

    Run table = lazyq("sql", "SELECT count(*) AS n FROM t", "--table", "t=" + file);
    assertTrue(table.out().contains("| 500 |") && table.out().contains("1 row"), table.out());

    Run bad = lazyq("sql", "SELECT 1", "--table", "nopath");
    assertEquals(LazyQ.USAGE, bad.code(), bad.err());
  }

  @Test
  void demoRunsTwiceInTheSameDirectory() {
    Path out = dir.resolve("demo");
    for (int i = 0; i < 2; i++) {
      Run run = lazyq("demo", "--rows", "40000", "--out", out.toString());
      assertEquals(0, run.code(), run.err() + run.out());
      assertTrue(run.out().contains("anomaly windows found"), run.out());
      assertTrue(run.out().contains("parquet float32 snappy"), run.out());
    }
    assertTrue(Files.isRegularFile(out.resolve(DemoCommand.CHART)));
    assertTrue(Files.isDirectory(out.resolve(DemoCommand.PARQUET)));
  }
}
