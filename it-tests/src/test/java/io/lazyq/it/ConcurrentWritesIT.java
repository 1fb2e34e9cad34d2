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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer JVMs racing on one table, on each file system (a local disk, and HDFS: a
 * {@link MiniHdfs} in this JVM that the writers reach by its URI): appends that report success are
 * all there, once; overwrites fail with the conflict error or win whole; readers always see one
 * committed version. The system property {@code lazyq.it.storage} picks the file systems ({@link StorageKinds}).
 */
class ConcurrentWritesIT {
  private static SparkSession spark;
  @TempDir static Path dir;
  private static final Map<Process, Path> LOGS = new HashMap<>();
  private static final int ROWS = 1000;
  /** Appending JVMs, and appends by each, in the test of appends alone. */
  private static final int APPENDERS = 4;
  private static final int APPENDS = 25;
  /** Overwrites that must commit while two JVMs append, and the attempts they may take. */
  private static final int OVERWRITES = 20;
  private static final int OVERWRITE_ATTEMPTS = 60;

  /**
   * A writer: {@code append|overwrite TABLE TAG ATTEMPTS COMMITS STOP}. Writes batches of
   * {@link #ROWS} rows, each named {@code TAG-i}, until {@code COMMITS} have committed, {@code
   * ATTEMPTS} were made or the local file {@code STOP} exists, and reports each as {@code
   * writing|committed|failed BATCH MILLIS [MESSAGE]}. An overwriter creates {@code STOP} when it is
   * done, so that the appenders race it to its end.
   */
  public static void main(String[] args) throws Exception {
    SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    s.sparkContext().setLogLevel("ERROR");
    boolean overwrite = args[0].equals("overwrite");
    int tag = Integer.parseInt(args[2]);
    int attempts = Integer.parseInt(args[3]);
    int commits = Integer.parseInt(args[4]);
    Path stop = Path.of(args[5]);
    int committed = 0;
    for (int i = 0; i < attempts && committed < commits && !Files.exists(stop); i++) {
      String batch = tag + "-" + i;
      long base = (tag * 100L + i) * ROWS;
      System.out.println("writing " + batch + " " + System.currentTimeMillis());
      try {
        s.range(0, ROWS, 1, 1).selectExpr("'" + batch + "' AS batch", "CAST(id + " + base + " AS DOUBLE) AS x")
            .write().format("lazyq").mode(overwrite ? SaveMode.Overwrite : SaveMode.Append).save(args[1]);
        System.out.println("committed " + batch + " " + System.currentTimeMillis());
        committed++;
      } catch (Exception e) {
        System.out.println("failed " + batch + " " + System.currentTimeMillis() + " " + rootMessage(e));
      }
    }
    if (overwrite) {
      Files.writeString(stop, "done");
    }
    s.stop();
  }

  /** A fresh table directory on {@code kind}. */
  private static String table(String kind, String name) throws Exception {
    return StorageKinds.table(kind, dir, name);
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

  @ParameterizedTest
  @MethodSource("io.lazyq.it.StorageKinds#kinds")
  void fourWritersAppendingLoseNothing(String kind) throws Exception {
    String table = table(kind, "appends");
    long started = System.nanoTime();
    List<Process> writers = new ArrayList<>();
    for (int w = 1; w <= APPENDERS; w++) {
      writers.add(start(table, "append", w, APPENDS, APPENDS, dir.resolve("never")));
    }
    List<String> lines = finish(writers);
    Set<String> committed = batches(lines, "committed");
    assertEquals(APPENDERS * APPENDS, committed.size(), String.join("\n", lines));

    List<Row> found = spark.read().format("lazyq").load(table).groupBy("batch").count().collectAsList();
    Map<String, Long> rows = new HashMap<>();
    found.forEach(r -> rows.put(r.getString(0), r.getLong(1)));
    assertEquals(committed, rows.keySet(), "every committed append, and nothing else");
    rows.forEach((batch, n) -> assertEquals(ROWS, n, batch + " whole, and once"));
    assertEquals(committed.size(), commitsAddingFiles(table), "one version per append reported committed");
    long expected = (long) APPENDERS * APPENDS * ROWS;
    long present = spark.read().format("lazyq").load(table).count();
    assertEquals(expected, present);
    long distinct = spark.read().format("lazyq").load(table).select("x").distinct().count();
    assertEquals(expected, distinct, "no row twice");
    System.out.printf("%s: %d appends committed by %d writers: %d rows expected, %d found, %d distinct; %d s%n",
        kind, committed.size(), APPENDERS, expected, present, distinct, (System.nanoTime() - started) / 1_000_000_000L);
  }

  @ParameterizedTest
  @MethodSource("io.lazyq.it.StorageKinds#kinds")
  void overwritesRacingAppendsAndReaders(String kind) throws Exception {
    String table = table(kind, "overwrites");
    long started = System.nanoTime();
    spark.range(0, ROWS, 1, 1).selectExpr("'0-0' AS batch", "CAST(id AS DOUBLE) AS x").write().format("lazyq")
        .save(table);
    Path stop = dir.resolve("stop-" + kind);
    List<Process> writers = List.of(start(table, "overwrite", 9, OVERWRITE_ATTEMPTS, OVERWRITES, stop),
        start(table, "append", 1, OVERWRITE_ATTEMPTS, OVERWRITE_ATTEMPTS, stop),
        start(table, "append", 2, OVERWRITE_ATTEMPTS, OVERWRITE_ATTEMPTS, stop));

    // Readers loop while the writers run: each read must succeed and match one version.
    List<double[]> seen = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      while (running.get()) {
        try {
          Row r = spark.read().format("lazyq").load(table).selectExpr("count(*)", "sum(x)").first();
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
    assertTrue(overwrites.size() >= OVERWRITES, String.join("\n", lines));

    // The table: the last overwrite that committed, whole, and the appends that started after it.
    String last = lastCommitted(lines, "9-");
    long lastAt = time(lines, "committed " + last);
    Map<String, Long> rows = new HashMap<>();
    spark.read().format("lazyq").load(table).groupBy("batch").count().collectAsList()
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
    Snapshot s = Snapshot.beforeLog(table, List.of());
    TableLog log = new TableLog(table, Storage.of(new Configuration()));
    for (LogEntry e : log.entries()) {
      s = s.apply(e);
      double count = 0;
      double sum = 0;
      for (AddFile f : s.files()) {
        double[] cs = perFile.computeIfAbsent(f.path(), p -> {
          Row r = spark.read().format("lazyq").load(table + "/" + p).selectExpr("count(*)", "sum(x)")
              .first();
          return new double[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getDouble(1)};
        });
        count += cs[0];
        sum += cs[1];
      }
      versions.add(count + "/" + sum);
    }
    assertEquals(1 + overwrites.size() + appended.size(), commitsAddingFiles(table),
        "one version per write reported committed (and the first write's), none for a write reported failed");
    assertTrue(seen.size() >= 10, seen.size() + " reads");
    for (double[] r : seen) {
      assertTrue(versions.contains(r[0] + "/" + r[1]), r[0] + " rows summing to " + r[1] + " is no version's");
    }
    long failed = lines.stream().filter(l -> l.startsWith("failed 9-")).count();
    System.out.printf("%s: %d versions, %d reads (%d failed), %d overwrites committed and %d failed, %d appends"
        + " committed, %d rows at the end; %d s%n", kind, log.latestVersion() + 1, seen.size(), failures.size(),
        overwrites.size(), failed, appended.size(), rows.values().stream().mapToLong(Long::longValue).sum(),
        (System.nanoTime() - started) / 1_000_000_000L);
  }

  /** Versions of the table's log that add files: one per committed write (version 0 holds only the schema). */
  private static long commitsAddingFiles(String table) throws Exception {
    return new TableLog(table, Storage.of(new Configuration())).entries().stream()
        .filter(e -> e.actions().stream().anyMatch(a -> a instanceof AddFile)).count();
  }

  private static Process start(String table, String mode, int tag, int attempts, int commits, Path stop)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
    // Spark's least heap (it refuses under 450 MiB) and one GC thread: five JVMs share two cores.
    cmd.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), ConcurrentWritesIT.class.getName(), mode, table, Integer.toString(tag),
        Integer.toString(attempts), Integer.toString(commits), stop.toString()));
    Path log = dir.resolve(mode + "-" + tag + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LOGS.put(p, log);
    return p;
  }

  /** Waits for the writers and returns the lines they reported. */
  private static List<String> finish(List<Process> writers) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Process p : writers) {
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "writer finished");
      Path log = LOGS.remove(p);
      List<String> all = Files.readAllLines(log);
      assertEquals(0, p.exitValue(), () -> "writer exit: " + String.join("\n", all.subList(Math.max(0, all.size()
          - 40), all.size())));
      all.stream().filter(l -> l.matches("(writing|committed|failed) \\d+-\\d+ \\d+.*")).forEach(lines::add);
      Files.delete(log);
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
