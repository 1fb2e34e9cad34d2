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
  void convertsParquetAndCsvThroughSparkWithinTheErrorBound() throws Exception {
    SparkSession spark = LocalSpark.start("test");
    Path parquet = dir.resolve("sensors.parquet");
    spark.sql("SELECT id AS ts, CAST(1013.25 + sin(id / 50.0) AS FLOAT) AS value, CAST(id % 7 AS FLOAT) AS other"
        + " FROM range(20000)").repartition(3).write().parquet(parquet.toString());
    Path out = dir.resolve("sensors-lzq");
    Run run = lazyq("convert", parquet.toString(), out.toString(), "--error-bound", "value=0.001");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("wrote 20,000 rows"), run.out());
    var check = spark.read().parquet(parquet.toString()).join(spark.read().format("lazyq").load(out.toString())
        .withColumnRenamed("value", "v2").withColumnRenamed("other", "o2"), "ts")
        .selectExpr("count(*)", "max(abs(value - v2))", "max(abs(other - o2))").first();
    assertEquals(20000L, check.getLong(0));
    assertTrue(check.getFloat(1) <= 0.001f, "max error " + check.getFloat(1));
    assertEquals(0f, check.getFloat(2));

    Run again = lazyq("convert", parquet.toString(), out.toString());
    assertEquals(LazyQ.FAILURE, again.code(), "an existing output is not overwritten: " + again.err());

    Path csv = dir.resolve("small.csv");
    Files.writeString(csv, "ts,value\n1,1.5\n2,2.25\n");
    Run viaSpark = lazyq("convert", csv.toString(), dir.resolve("small-lzq").toString(), "--spark", "--quantize",
        "value=q8_0");
    assertEquals(0, viaSpark.code(), viaSpark.err());
    assertEquals("float", spark.read().format("lazyq").load(dir.resolve("small-lzq").toString()).schema()
        .apply("value").dataType().simpleString());

    Run badFormat = lazyq("convert", csv.toString(), dir.resolve("x").toString(), "--input-format", "avro");
    assertEquals(LazyQ.USAGE, badFormat.code(), badFormat.err());
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
