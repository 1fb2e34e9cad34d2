package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogEntry;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer JVMs racing on one local table: appends that report success are all there, once;
 * overwrites fail with the conflict error or win whole; readers always see one committed version.
 */
class ConcurrentWritesIT {
  private static SparkSession spark;
  @TempDir static Path dir;
  private static final int ROWS = 1000;
  private static final int WRITES = 10;

  /**
   * A writer: {@code append|overwrite DIR TAG}. Writes {@link #WRITES} batches of {@link #ROWS}
   * rows, each batch named {@code TAG-i}, and reports each as {@code writing|committed|failed
   * BATCH MILLIS [MESSAGE]}.
   */
  public static void main(String[] args) {
    SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    s.sparkContext().setLogLevel("ERROR");
    boolean overwrite = args[0].equals("overwrite");
    int tag = Integer.parseInt(args[2]);
    for (int i = 0; i < WRITES; i++) {
      String batch = tag + "-" + i;
      long base = (tag * 100L + i) * ROWS;
      System.out.println("writing " + batch + " " + System.currentTimeMillis());
      try {
        s.range(0, ROWS, 1, 1).selectExpr("'" + batch + "' AS batch", "CAST(id + " + base + " AS DOUBLE) AS x")
            .write().format("lazyq").mode(overwrite ? SaveMode.Overwrite : SaveMode.Append).save(args[1]);
        System.out.println("committed " + batch + " " + System.currentTimeMillis());
      } catch (Exception e) {
        System.out.println("failed " + batch + " " + System.currentTimeMillis() + " " + rootMessage(e));
      }
    }
    s.stop();
  }

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("concurrent-writes").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void fourWritersAppendingLoseNothing() throws Exception {
    Path table = dir.resolve("appends");
    List<Process> writers = new ArrayList<>();
    for (int w = 1; w <= 4; w++) {
      writers.add(start(table, "append", w));
    }
    List<String> lines = finish(writers);
    Set<String> committed = batches(lines, "committed");
    assertEquals(4 * WRITES, committed.size(), String.join("\n", lines));

    List<Row> found = spark.read().format("lazyq").load(table.toString()).groupBy("batch").count().collectAsList();
    Map<String, Long> rows = new HashMap<>();
    found.forEach(r -> rows.put(r.getString(0), r.getLong(1)));
    assertEquals(committed, rows.keySet(), "every committed append, and nothing else");
    rows.forEach((batch, n) -> assertEquals(ROWS, n, batch + " whole, and once"));
    assertEquals(4L * WRITES * ROWS, spark.read().format("lazyq").load(table.toString()).count());
    long distinct = spark.read().format("lazyq").load(table.toString()).select("x").distinct().count();
    assertEquals(4L * WRITES * ROWS, distinct, "no row twice");
    System.out.printf("%d appends committed by 4 writers: %d rows expected, %d distinct rows found%n",
        committed.size(), (long) committed.size() * ROWS, distinct);
  }

  @Test
  void overwritesRacingAppendsAndReaders() throws Exception {
    Path table = dir.resolve("overwrites");
    spark.range(0, ROWS, 1, 1).selectExpr("'0-0' AS batch", "CAST(id AS DOUBLE) AS x").write().format("lazyq")
        .save(table.toString());
    List<Process> writers = List.of(start(table, "overwrite", 9), start(table, "append", 1), start(table, "append", 2));

    // Readers loop while the writers run: each read must succeed and match one version.
    List<double[]> seen = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      while (running.get()) {
        try {
          Row r = spark.read().format("lazyq").load(table.toString()).selectExpr("count(*)", "sum(x)").first();
          seen.add(new double[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getDouble(1)});
        } catch (Throwable t) {
          failures.add(t);
        }
      }
    });
    reader.start();
    List<String> lines = finish(writers);
    running.set(false);
    reader.join();

    assertEquals(List.of(), failures, "reads during overwrites");
    Set<String> overwrites = batches(lines, "committed");
    overwrites.removeIf(b -> !b.startsWith("9-"));
    for (String line : lines) {
      if (line.startsWith("failed")) {
        assertTrue(line.startsWith("failed 9-") && line.contains("concurrent commit to " + table) && line.contains(
            "read version"), "only overwrites may fail, with the conflict error: " + line);
      }
    }
    assertTrue(overwrites.size() >= 1, String.join("\n", lines));

    // The table: the last overwrite that committed, whole, and the appends that started after it.
    String last = lastCommitted(lines, "9-");
    long lastAt = time(lines, "committed " + last);
    Map<String, Long> rows = new HashMap<>();
    spark.read().format("lazyq").load(table.toString()).groupBy("batch").count().collectAsList()
        .forEach(r -> rows.put(r.getString(0), r.getLong(1)));
    rows.forEach((batch, n) -> assertEquals(ROWS, n, batch + " whole, and once"));
    Set<String> appended = batches(lines, "committed");
    appended.removeIf(b -> b.startsWith("9-"));
    for (String batch : appended) {
      if (time(lines, "writing " + batch) > lastAt) {
        assertTrue(rows.containsKey(batch), batch + " started after the last overwrite committed, so it stays");
      }
    }
    assertTrue(rows.containsKey(last), "the last overwrite");
    assertTrue(rows.keySet().stream().filter(b -> b.startsWith("9-")).count() == 1, rows.toString());
    assertTrue(appended.containsAll(rows.keySet().stream().filter(b -> !b.startsWith("9-")).toList()),
        "no append that failed");

    // Every read equals one version's count and sum, as the log replays it from files never deleted.
    Map<String, double[]> perFile = new HashMap<>();
    Set<String> versions = new HashSet<>();
    Snapshot s = Snapshot.beforeLog(table.toString(), List.of());
    TableLog log = new TableLog(table.toString(), Storage.of(new Configuration()));
    for (LogEntry e : log.entries()) {
      s = s.apply(e);
      double count = 0;
      double sum = 0;
      for (AddFile f : s.files()) {
        double[] cs = perFile.computeIfAbsent(f.path(), p -> {
          Row r = spark.read().format("lazyq").load(table.resolve(p).toString()).selectExpr("count(*)", "sum(x)")
              .first();
          return new double[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getDouble(1)};
        });
        count += cs[0];
        sum += cs[1];
      }
      versions.add(count + "/" + sum);
    }
    assertTrue(seen.size() >= 10, seen.size() + " reads");
    for (double[] r : seen) {
      assertTrue(versions.contains(r[0] + "/" + r[1]), r[0] + " rows summing to " + r[1] + " is no version's");
    }
    System.out.printf("%d versions, %d reads, %d overwrites committed of %d, %d rows at the end%n", log.latestVersion()
        + 1, seen.size(), overwrites.size(), WRITES, rows.values().stream().mapToLong(Long::longValue).sum());
  }

  private static Process start(Path table, String mode, int tag) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
    cmd.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ConcurrentWritesIT.class.getName(), mode, table.toString(), Integer.toString(tag)));
    Path log = dir.resolve(mode + "-" + tag + ".log");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits for the writers and returns the lines they reported. */
  private static List<String> finish(List<Process> writers) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Process p : writers) {
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "writer finished");
      assertEquals(0, p.exitValue(), "writer exit");
    }
    try (var logs = Files.list(dir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        Files.readAllLines(log).stream().filter(l -> l.matches("(writing|committed|failed) \\d+-\\d+ \\d+.*"))
            .forEach(lines::add);
        Files.delete(log);
      }
    }
    return lines;
  }

  private static Set<String> batches(List<String> lines, String what) {
    Set<String> batches = new HashSet<>();
    lines.stream().filter(l -> l.startsWith(what + " ")).forEach(l -> batches.add(l.split(" ")[1]));
    return batches;
  }

  private static String lastCommitted(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith("committed " + prefix))
        .max(java.util.Comparator.comparingLong(l -> Long.parseLong(l.split(" ")[2]))).orElseThrow().split(" ")[1];
  }

  private static long time(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix + " ")).mapToLong(l -> Long.parseLong(l.split(" ")[2]))
        .findFirst().orElseThrow();
  }

  private static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("concurrent commit")) {
        return t.getMessage().lines().findFirst().orElse("");
      }
    }
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }
}
