package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.SampleTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
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
  void vacuumDeletesOnlyOldLeftoversOfKilledWrites() throws Exception {
    SparkSession spark = LocalSpark.start("vacuum test");
    Path table = dir.resolve("vacuum");
    spark.range(1000).selectExpr("id", "CAST(id AS FLOAT) AS x").repartition(2).write().format("lazyq")
        .save(table.toString());
    List<Path> listed;
    try (Stream<Path> files = Files.list(table)) {
      listed = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
    }
    Path part = listed.get(0);
    // What killed writes leave, two days old, and the moved-in part of a write that may be running.
    Path orphan = Files.copy(part, table.resolve("part-00009-killed-t1.lzq"));
    Path job = Files.createDirectories(table.resolve("_temporary").resolve("killed-job"));
    Path staged = Files.copy(part, job.resolve("part-00000-killed-t2.lzq"));
    Path manifestTemp = Files.writeString(table.resolve("._lazyq_manifest.json.5eed.tmp"), "{\"version\"");
    Path recent = Files.copy(part, table.resolve("part-00010-running-t3.lzq"));
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
    for (Path p : List.of(orphan, staged, job, manifestTemp)) {
      Files.setLastModifiedTime(p, old);
    }
    long bytes = Files.size(orphan) + Files.size(staged) + Files.size(manifestTemp);

    Run dry = lazyq("vacuum", table.toString(), "--dry-run");
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains(String.format("would delete 3 leftovers, %,d bytes", bytes)), dry.out());
    assertTrue(Files.exists(orphan) && Files.exists(staged) && Files.exists(manifestTemp));

    Run run = lazyq("vacuum", table.toString());
    assertTrue(run.out().contains("deleted 3 leftovers"), run.out());
    assertFalse(Files.exists(orphan) || Files.exists(table.resolve("_temporary")) || Files.exists(manifestTemp));
    assertTrue(Files.exists(recent), "younger than --min-age");
    listed.forEach(p -> assertTrue(Files.exists(p), p + " is the table's"));
    assertEquals(499_500L, spark.read().format("lazyq").load(table.toString()).selectExpr("sum(id)").first().getLong(0));

    Run now = lazyq("vacuum", table.toString(), "--min-age", "0s");
    assertTrue(now.out().contains("deleted 1 leftovers"), now.out());
    assertFalse(Files.exists(recent));
    assertEquals(499_500L, spark.read().format("lazyq").load(table.toString()).selectExpr("sum(id)").first().getLong(0));
    assertEquals(LazyQ.USAGE, lazyq("vacuum", table.toString(), "--min-age", "soon").code());

    // Overwritten files stay for the retention; a retention under an hour must say it is unsafe.
    spark.range(10).selectExpr("id", "CAST(id AS FLOAT) AS x").write().format("lazyq").mode("overwrite")
        .save(table.toString());
    assertTrue(lazyq("vacuum", table.toString(), "--min-age", "0s").out().contains("deleted 0 leftovers"));
    listed.forEach(p -> assertTrue(Files.exists(p), p + " is needed by a version within the retention"));
    Run refused = lazyq("vacuum", table.toString(), "--retain", "0");
    assertEquals(LazyQ.USAGE, refused.code());
    assertTrue(refused.err().contains("--unsafe-for-running-readers"), refused.err());
    Run expired = lazyq("vacuum", table.toString(), "--retain", "0", "--unsafe-for-running-readers");
    assertTrue(expired.out().contains("deleted " + listed.size() + " leftovers"), expired.out());
    listed.forEach(p -> assertFalse(Files.exists(p), p + " was removed by the overwrite"));
    assertEquals(45L, spark.read().format("lazyq").load(table.toString()).selectExpr("sum(id)").first().getLong(0));
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
      assertTrue(run.out().contains("parquet float32 zstd"), run.out());
      assertTrue(run.out().contains("lazyq lossless (block encodings)"), run.out());
    }
    assertTrue(Files.isRegularFile(out.resolve(DemoCommand.CHART)));
    assertTrue(Files.isDirectory(out.resolve(DemoCommand.PARQUET)));
  }
}
