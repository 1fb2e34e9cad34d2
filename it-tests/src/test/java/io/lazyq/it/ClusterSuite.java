package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.quant.QuantType;
import io.lazyq.table.TableLog;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensorfiles.TensorFiles;
import io.lazyq.tensorfiles.TensorQuantizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The jobs every cluster must run like {@code local[*]}: reads, filters and aggregates of sensor
 * tables (plain and quantized), tensor tables, a lost executor, and concurrent jobs. Each result
 * is compared with the same job on {@code local[*]} and with an independent computation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterSuite {
  static final String AGGREGATE = "SELECT sensor, count(*), sum(temperature), max(pressure), min(vibration),"
      + " sum(crc32(cast(temperature AS string))) FROM %s GROUP BY sensor ORDER BY sensor";
  static final String FILTER = "SELECT count(*), sum(unix_micros(ts) %% 1000) FROM %s"
      + " WHERE sensor = 's-03' AND vibration > 2.5";
  static final String TENSOR_ROWS = "SELECT tensor, count(*), sum(aggregate(values, 0D, (a, x) -> a + x))"
      + " FROM %s GROUP BY tensor ORDER BY tensor";
  static final String TENSOR_INDEX = "SELECT name, type, shape, elements, bytes FROM %s ORDER BY name";

  static final String WRITTEN = "SELECT count(*), avg(temperature), max(pressure), min(vibration) FROM %s";

  private SparkSession spark;

  /** A session on this class's cluster. */
  abstract SparkSession session(String appName);

  @BeforeAll
  void start() throws Exception {
    LocalReference.results(); // local[*] first: one SparkContext per JVM at a time
    spark = session(getClass().getSimpleName());
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  @Order(1)
  void executorsRunInJvmsOfTheirOwn() throws InterruptedException {
    spark.range(0, 1000, 1, 4).count();
    List<ProcessHandle> executors = Executors.of(spark.sparkContext().applicationId());
    // The second worker may still be starting its executor.
    for (int i = 0; i < 120 && executors.size() < SparkCluster.WORKERS; i++) {
      Thread.sleep(500);
      executors = Executors.of(spark.sparkContext().applicationId());
    }
    assertEquals(SparkCluster.WORKERS, executors.size(), executors.toString());
    assertTrue(executors.stream().noneMatch(h -> h.pid() == ProcessHandle.current().pid()));
  }

  @Test
  @Order(2)
  void aggregatesSensorTables() throws Exception {
    for (Path table : List.of(SensorTables.plain(), SensorTables.quantized())) {
      long t0 = System.nanoTime();
      List<Row> rows = sql(AGGREGATE, table);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Rows.assertClose(LocalReference.results().get(key(AGGREGATE, table)), rows, 1e-12);
      System.out.printf("%s: aggregate over %s (%d rows) in %.1f s; peak executor RSS %s%n", getClass().getSimpleName(),
          table.getFileName(), SensorTables.DAY.rows(), seconds,
          Executors.peakRss(spark.sparkContext().applicationId()).stream().mapToObj(Reports::mib).findFirst().orElse("n/a"));
    }
    List<Object[]> independent = Expected.aggregate(SensorTables.DAY);
    Rows.assertClose(independent, sql(AGGREGATE, SensorTables.plain()), 1e-12);
    // Quantized: counts exact, the rest within the codecs' error (Q8_0: scale/2 of values near 30).
    List<Row> quantized = sql(AGGREGATE, SensorTables.quantized());
    for (int s = 0; s < independent.size(); s++) {
      Object[] e = independent.get(s);
      Row a = quantized.get(s);
      assertEquals(e[0], a.getString(0));
      assertEquals(e[1], a.getLong(1));
      assertEquals((double) e[2] / (long) e[1], a.getDouble(2) / a.getLong(1), 0.12, "mean temperature of " + e[0]);
      assertEquals((float) e[3], a.getFloat(3), 0.01f + 1e-4f, "max pressure of " + e[0]);
      assertEquals((float) e[4], a.getFloat(4), 0f, "min vibration of " + e[0]);
    }
  }

  /**
   * The group-by answered in the scans on the executors (the scan's reader factory and its groups
   * travel to other JVMs): one row per sensor and task, merged by Spark, as the independent
   * computation says; the same query with the pushdown off agrees with it.
   */
  @Test
  @Order(3)
  void groupedAggregatesAreAnsweredInTheScans() throws Exception {
    String query = "SELECT sensor, count(*), sum(temperature), max(pressure), min(vibration) FROM %s GROUP BY sensor"
        + " ORDER BY sensor";
    spark.read().format("lazyq").load(SensorTables.plain().toString()).createOrReplaceTempView("pushed");
    spark.read().format("lazyq").option("aggregatePushdown", "false").load(SensorTables.plain().toString())
        .createOrReplaceTempView("unpushed");
    String plan = spark.sql(String.format(query, "pushed")).queryExecution().executedPlan().toString();
    assertTrue(plan.contains("PushedGroupBy: [sensor]"), plan);
    List<Row> pushed = spark.sql(String.format(query, "pushed")).collectAsList();
    List<Object[]> independent = Expected.aggregate(SensorTables.DAY);
    assertEquals(independent.size(), pushed.size());
    for (int s = 0; s < independent.size(); s++) {
      Object[] e = independent.get(s);
      Row a = pushed.get(s);
      assertEquals(e[0], a.getString(0));
      assertEquals(e[1], a.getLong(1));
      assertEquals((double) e[2], a.getDouble(2), 1e-12 * Math.abs((double) e[2]), "sum of temperature of " + e[0]);
      assertEquals((float) e[3], a.getFloat(3), 0f, "max pressure of " + e[0]);
      assertEquals((float) e[4], a.getFloat(4), 0f, "min vibration of " + e[0]);
    }
    Rows.assertClose(pushed, spark.sql(String.format(query, "unpushed")).collectAsList(), 1e-12);
  }

  @Test
  @Order(3)
  void filtersSensorTables() throws Exception {
    long[] expected = Expected.filtered(SensorTables.DAY, 3, 2.5f);
    assertTrue(expected[0] > 0, "the filter selects some rows");
    for (Path table : List.of(SensorTables.plain(), SensorTables.quantized())) {
      List<Row> rows = sql(FILTER, table);
      Rows.assertClose(LocalReference.results().get(key(FILTER, table)), rows, 0);
      assertEquals(expected[0], rows.get(0).getLong(0), table.toString());
      assertEquals(expected[1], rows.get(0).getLong(1), table.toString());
    }
  }

  @Test
  @Order(4)
  void readsTensorTablesOnExecutors() throws Exception {
    for (Path file : TensorTables.files()) {
      spark.read().format("lazyq").option("view", "rows").load(file.toString()).createOrReplaceTempView("t");
      List<Row> actual = spark.sql(String.format(TENSOR_ROWS, "t")).collectAsList();
      Rows.assertClose(LocalReference.results().get(key(TENSOR_ROWS, file)), actual, 1e-9);
      Rows.assertClose(Expected.tensorRows(file), actual, 1e-9);
      spark.read().format("lazyq").load(file.toString()).createOrReplaceTempView("t");
      Rows.assertClose(LocalReference.results().get(key(TENSOR_INDEX, file)),
          spark.sql(String.format(TENSOR_INDEX, "t")).collectAsList(), 0);
    }
  }

  /** An executor killed (kill -9) once the scan is under way: Spark retries, the result is exact. Last: it costs an executor. */
  @Test
  @Order(7)
  void survivesALostExecutorMidScan() throws Exception {
    String app = spark.sparkContext().applicationId();
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger removed = new AtomicInteger();
    SparkListener killer = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (killed.compareAndSet(false, true)) {
          Executors.of(app).stream().findFirst().ifPresent(ProcessHandle::destroyForcibly);
        }
      }

      @Override
      public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        removed.incrementAndGet();
      }
    };
    spark.sparkContext().addSparkListener(killer);
    List<Row> rows;
    try {
      rows = sql(AGGREGATE, SensorTables.plain());
    } finally {
      spark.sparkContext().removeSparkListener(killer);
    }
    assertTrue(killed.get());
    assertTrue(removed.get() >= 1, "an executor was lost during the job");
    Rows.assertClose(LocalReference.results().get(key(AGGREGATE, SensorTables.plain())), rows, 1e-12);
    // The job's exact columns are exactly the independent ones.
    Rows.assertClose(Expected.aggregate(SensorTables.DAY), rows, 1e-12);
  }

  /** Eight jobs at once over the same file: identical exact columns, and no file left open. */
  @Test
  @Order(6)
  void concurrentJobsAgreeAndLeaveNothingOpen() throws Exception {
    Path table = SensorTables.quantized().resolve("part-0.lzq");
    String exact = "SELECT sensor, count(*), max(pressure), min(vibration), sum(crc32(cast(temperature AS string)))"
        + " FROM %s GROUP BY sensor ORDER BY sensor";
    ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    long t0 = System.nanoTime();
    List<Future<List<Row>>> jobs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      jobs.add(pool.submit(() -> sql(exact, table)));
    }
    List<List<Row>> results = new ArrayList<>();
    for (Future<List<Row>> f : jobs) {
      results.add(f.get());
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (List<Row> r : results) {
      assertEquals(results.get(0), r);
    }
    String app = spark.sparkContext().applicationId();
    for (ProcessHandle executor : Executors.of(app)) {
      assertEquals(List.of(), OpenFiles.under(executor.pid(), ItData.shared()), "executor " + executor.pid());
    }
    assertEquals(List.of(), OpenFiles.under(ProcessHandle.current().pid(), ItData.shared()), "driver");
    System.out.printf("%s: 8 concurrent jobs over %s (%d rows each) in %.1f s; peak executor RSS %s%n",
        getClass().getSimpleName(), table, SensorTables.DAY.rows() / SensorTables.FILES, seconds,
        Executors.peakRss(app).stream().mapToObj(Reports::mib).findFirst().orElse("n/a"));
  }

  /** Written through lazyq on the cluster and read back: what local[*] writes, and the generator's values within their bounds. */
  @Test
  @Order(5)
  void writesThroughLazyq() throws Exception {
    Path target = written();
    write(spark.read().format("lazyq").load(SensorTables.plain().toString()), target.toString());
    List<Row> rows = sql(WRITTEN, target);
    Row local = LocalReference.results().get(WRITTEN).get(0);
    Row got = rows.get(0);
    assertEquals(SensorTables.DAY.rows(), got.getLong(0));
    assertEquals(local.getLong(0), got.getLong(0));
    assertEquals(local.getFloat(2), got.getFloat(2), 0f, "max(pressure), a plain column");
    assertEquals(local.getDouble(1), got.getDouble(1), 0.01, "avg(temperature), within 0.01 of each value");
    assertEquals(local.getFloat(3), got.getFloat(3), 0.03f, "min(vibration), Q8_0");
    List<Object[]> independent = Expected.aggregate(SensorTables.DAY);
    double sum = independent.stream().mapToDouble(e -> (double) e[2]).sum();
    float maxPressure = (float) independent.stream().mapToDouble(e -> (float) e[3]).max().orElseThrow();
    assertEquals(sum / SensorTables.DAY.rows(), got.getDouble(1), 0.01);
    assertEquals(maxPressure, got.getFloat(2), 0f);
  }

  /** The driver killed (kill -9) while its job overwrites a table: readers see the previous table. */
  @Test
  @Order(8)
  void killedDriverLeavesTheTableAsItWas() throws Exception {
    Path target = written();
    Path log = target.resolve(TableLog.DIRECTORY);
    if (!Files.exists(log)) {
      write(spark.read().format("lazyq").load(SensorTables.plain().toString()), target.toString());
    }
    List<Path> before = entries(log);
    List<Row> expected = sql(WRITTEN, target);
    String master = spark.sparkContext().master();
    spark.stop(); // the cluster's cores go to the driver about to be killed
    spark = null;

    ChildJvm driver = ChildJvm.of("1g", ItData.log("killed-writer.log"), WriteDriverMain.class.getName(),
        master, SensorTables.plain().toString(), target.toString()).inherit("lazyq.it.bundle").inherit("lazyq.test.argLine");
    Process p = driver.start();
    long size = waitForStagedBytes(p, target.resolve("_temporary"));
    p.destroyForcibly().waitFor();

    spark = session(getClass().getSimpleName() + "-after-kill");
    assertEquals(before, entries(log), "no version committed");
    assertEquals(expected, sql(WRITTEN, target));
    System.out.printf("%s: driver killed with %d bytes staged; the table reads as before%n", getClass().getSimpleName(), size);
  }

  private static List<Path> entries(Path log) throws IOException {
    try (Stream<Path> s = Files.list(log)) {
      return s.sorted().toList();
    }
  }

  private static long waitForStagedBytes(Process p, Path staging) throws Exception {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), "the driver ended before it was killed:\n" + Files.readString(ItData.log("killed-writer.log")));
      if (Files.isDirectory(staging)) {
        try (java.util.stream.Stream<Path> files = Files.walk(staging)) {
          long bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
          if (bytes >= 1 << 20) { // a chunk or more of part files written: the job is well under way
            return bytes;
          }
        }
      }
      Thread.sleep(20);
    }
    p.destroyForcibly().waitFor();
    throw new AssertionError("nothing was staged in " + staging);
  }

  /** The table this cluster writes. */
  private Path written() throws Exception {
    return ItData.shared().resolve("written-" + getClass().getSimpleName());
  }

  /** The write every cluster job uses: overwrite, temperature error-bounded, vibration Q8_0. */
  static void write(org.apache.spark.sql.Dataset<Row> rows, String target) {
    rows.write().format("lazyq").option("errorBound", "temperature=0.01").option("quantize", "vibration=q8_0")
        .option("chunkRows", "65536").mode("overwrite").save(target);
  }

  private List<Row> sql(String query, Path table) {
    String view = "v" + Math.abs((long) query.hashCode() ^ Thread.currentThread().getId());
    spark.read().format("lazyq").load(table.toString()).createOrReplaceTempView(view);
    return spark.sql(String.format(query, view)).collectAsList();
  }

  static String key(String query, Path table) {
    return query + " @ " + table;
  }

  /** Tables the tests read: the fixture with every ggml type mixed, and a generated pair. */
  static final class TensorTables {
    private TensorTables() {}

    static synchronized List<Path> files() throws Exception {
      Path dir = ItData.shared().resolve("tensors");
      Path st = dir.resolve("model.safetensors");
      Path q4 = dir.resolve("model-q4_0.gguf");
      Path mixed = dir.resolve("mixed.gguf");
      if (!Files.exists(mixed)) {
        Files.createDirectories(dir);
        TensorSource.write(st, TensorSource.specs(2, 2048, 1024));
        try (TensorFile f = TensorFiles.open(st)) {
          TensorQuantizer.quantize(f, q4, QuantType.Q4_0);
        }
        // Copied in: the containers see the shared data directory only.
        Files.copy(Path.of(System.getProperty("lazyq.fixtures"), "ggml", "mixed.gguf"), mixed);
      }
      return List.of(st, q4, mixed);
    }
  }

  /** The local[*] results of every job, computed once per run in a session of their own. */
  static final class LocalReference {
    private static Map<String, List<Row>> results;

    private LocalReference() {}

    static synchronized Map<String, List<Row>> results() throws Exception {
      if (results == null) {
        Map<String, List<Row>> r = new java.util.HashMap<>();
        SparkSession local = ClusterJobs.local("local-reference");
        try {
          for (Path table : List.of(SensorTables.plain(), SensorTables.quantized())) {
            local.read().format("lazyq").load(table.toString()).createOrReplaceTempView("t");
            r.put(key(AGGREGATE, table), local.sql(String.format(AGGREGATE, "t")).collectAsList());
            r.put(key(FILTER, table), local.sql(String.format(FILTER, "t")).collectAsList());
          }
          Path written = ItData.shared().resolve("written-local");
          write(local.read().format("lazyq").load(SensorTables.plain().toString()), written.toString());
          local.read().format("lazyq").load(written.toString()).createOrReplaceTempView("t");
          r.put(WRITTEN, local.sql(String.format(WRITTEN, "t")).collectAsList());
          for (Path file : TensorTables.files()) {
            local.read().format("lazyq").option("view", "rows").load(file.toString()).createOrReplaceTempView("t");
            r.put(key(TENSOR_ROWS, file), local.sql(String.format(TENSOR_ROWS, "t")).collectAsList());
            local.read().format("lazyq").load(file.toString()).createOrReplaceTempView("t");
            r.put(key(TENSOR_INDEX, file), local.sql(String.format(TENSOR_INDEX, "t")).collectAsList());
          }
        } finally {
          local.stop();
        }
        results = r;
      }
      return results;
    }
  }
}
