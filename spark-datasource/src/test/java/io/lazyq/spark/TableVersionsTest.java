package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import io.lazyq.cli.LazyQ;
import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.Operation;
import io.lazyq.table.TableLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Tables as versions of their log: what a scan reads, how old tables move to the log, what vacuum keeps. */
class TableVersionsTest extends SparkTestBase {
  private static final Storage STORAGE = Storage.of(new Configuration());

  @Test
  void aScanReadsTheVersionItPlannedAgainst() throws Exception {
    Path t = dir.resolve("pinned");
    write(t, 0, 100, SaveMode.ErrorIfExists);
    Dataset<Row> planned = lazyq(t).selectExpr("count(*)", "sum(x)");
    write(t, 1000, 10, SaveMode.Overwrite);
    Row before = planned.first();
    assertEquals(100, before.getLong(0), "the version read at planning, whole");
    assertEquals(4950.0, before.getDouble(1));
    assertEquals(10, lazyq(t).count(), "a new query reads the overwrite");
    List<io.lazyq.table.LogEntry> log = new TableLog(t.toString(), STORAGE).entries();
    assertEquals(List.of(Operation.CREATE, Operation.APPEND, Operation.OVERWRITE),
        log.stream().map(e -> e.commitInfo().orElseThrow().operation()).toList());
  }

  @Test
  void aTableWithAManifestIsReadAsBeforeAndMovesToTheLogOnItsNextWrite() throws Exception {
    Path t = dir.resolve("legacy");
    write(t, 0, 100, SaveMode.ErrorIfExists);
    // make it a table as written before the log: its manifest lists the files; an unlisted one is a leftover
    List<io.lazyq.table.LogAction.AddFile> files = new TableLog(t.toString(), STORAGE).snapshot().files();
    TableCommit.deleteTree(t.resolve(TableLog.DIRECTORY));
    Manifest.write(t.toString(), files.stream().map(f -> new PartFile(f.path(), f.rows(), f.bytes())).toList(), "old",
        STORAGE);
    Files.copy(t.resolve(files.get(0).path()), t.resolve("part-99999-unlisted.lzq"));
    assertEquals(100, lazyq(t).count());

    write(t, 100, 50, SaveMode.Append);
    assertEquals(150, lazyq(t).count(), "the manifest's files, then the append; never the unlisted one");
    assertEquals(0.5 * 149 * 150, lazyq(t).selectExpr("sum(x)").first().getDouble(0));
    TableLog log = new TableLog(t.toString(), STORAGE);
    assertEquals(1, log.latestVersion());
    assertEquals(files.size(), log.entries().get(0).actions().stream()
        .filter(a -> a instanceof io.lazyq.table.LogAction.AddFile).count(), "version 0 takes over the manifest's files");
  }

  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void vacuumKeepsWhatRetainedVersionsNeed(String kind) throws Exception {
    StorageServers.Target target = StorageServers.reach(kind, dir, spark);
    String t = target.path("vacuum");
    Configuration conf = new Configuration();
    target.hadoop().forEach(conf::set);
    Storage storage = Storage.of(conf);
    write(t, 0, 100, SaveMode.ErrorIfExists);
    List<String> first = LazyQWriteTest.dataFiles(storage, t);
    write(t, 100, 10, SaveMode.Overwrite);
    List<String> all = LazyQWriteTest.dataFiles(storage, t);
    assertTrue(all.containsAll(first) && all.size() > first.size(), all.toString());

    TableVacuum kept = TableVacuum.plan(t, storage, Duration.ZERO);
    assertEquals(List.of(), kept.leftovers(), "removed a moment ago: within the retention of 7 days");
    TableVacuum expired = TableVacuum.plan(t, storage, Duration.ofDays(1), Duration.ZERO);
    assertEquals(first, expired.leftovers().stream().map(TableVacuum.Leftover::name).toList());
    // the command line reaches the same table by its URI, with the settings as --conf
    String dryRun = cli(target, "vacuum", t, "--dry-run", "--min-age", "1d", "--retain", "0s",
        "--unsafe-for-running-readers");
    assertEquals(first.stream().map(n -> "would delete " + n).toList(),
        dryRun.lines().filter(l -> l.startsWith("would delete ") && !l.contains(" leftovers, ")).toList(), dryRun);
    String history = cli(target, "history", t);
    assertEquals(4, history.lines().count(), "a heading and versions 2, 1 and 0: " + history);
    assertTrue(history.contains("overwrite"), history);
    expired.delete(storage);
    List<String> left = LazyQWriteTest.dataFiles(storage, t);
    assertTrue(left.stream().noneMatch(first::contains) && left.size() == all.size() - first.size(), left.toString());
    assertEquals(10, lazyq(t).count());
    assertEquals(0.5 * (100 + 109) * 10, lazyq(t).selectExpr("sum(x)").first().getDouble(0));
  }


  @Test
  void aBrokenLogFailsNamingTheTableTheVersionAndTheFile() throws Exception {
    Path t = dir.resolve("broken");
    write(t, 0, 10, SaveMode.ErrorIfExists);
    write(t, 10, 10, SaveMode.Append);
    TableLog log = new TableLog(t.toString(), STORAGE);
    Path one = Path.of(log.location(1));
    byte[] whole = Files.readAllBytes(one);
    Files.write(one, java.util.Arrays.copyOf(whole, whole.length - 5));
    Exception e = assertThrows(Exception.class, () -> lazyq(t).count());
    LazyQFormatException cause = cause(e);
    assertTrue(cause.getMessage().contains(one.toString()) && cause.getMessage().contains("version 1 of the table " + t),
        cause.getMessage());

    Exception write = assertThrows(Exception.class, () -> write(t, 20, 10, SaveMode.Append));
    assertTrue(cause(write).getMessage().contains("version 1 of the table " + t), "nothing written on a broken log");
    assertFalse(Files.exists(Path.of(log.location(3))));

    Files.delete(one);
    LazyQFormatException gap = cause(assertThrows(Exception.class, () -> lazyq(t).count()));
    assertTrue(gap.getMessage().contains("missing, though version 2 exists") && gap.getMessage().contains(one.toString())
        && gap.getMessage().contains("version 1 of the table " + t), gap.getMessage());
    LazyQFormatException onGap = cause(assertThrows(Exception.class, () -> write(t, 20, 10, SaveMode.Append)));
    assertTrue(onGap.getMessage().contains("missing, though version 2 exists"), "nothing written over a gap");
    assertFalse(Files.exists(Path.of(log.location(3))));
    assertFalse(Files.exists(one));
  }

  @Test
  void checkpointsSpareReadsAndNeitherDamageNorExpiryChangesWhatIsRead() throws Exception {
    Path t = dir.resolve("checkpointed");
    write(t, 0, 10, SaveMode.ErrorIfExists);
    for (int i = 1; i < 13; i++) {
      spark.range(i * 10, i * 10 + 10, 1, 1).selectExpr("id", "CAST(id AS DOUBLE) AS x").write().format("lazyq")
          .option("checkpointInterval", "4").mode(SaveMode.Append).save(t.toString());
    }
    TableLog log = new TableLog(t.toString(), STORAGE);
    assertEquals(13, log.latestVersion(), "version 0 starts the log, each write adds one");
    for (long v : new long[] {4, 8, 12}) {
      assertTrue(Files.exists(Path.of(log.checkpointLocation(v))), "checkpoint " + v);
    }
    assertEquals(130, lazyq(t).count());
    assertEquals(0.5 * 129 * 130, lazyq(t).selectExpr("sum(x)").first().getDouble(0));
    assertTrue(TableCheck.check(t).intact());

    Path twelve = Path.of(log.checkpointLocation(12));
    Files.writeString(twelve, "{\"lazyqCheckpoint\": 1, \"version\": 12");
    assertEquals(0.5 * 129 * 130, lazyq(t).selectExpr("sum(x)").first().getDouble(0), "read from checkpoint 8");
    TableCheck check = TableCheck.check(t);
    assertEquals(1, check.damages().size(), check.damages().toString());
    assertTrue(check.damages().get(0).toString().contains(twelve.toString())
        && check.damages().get(0).toString().contains("damaged checkpoint"), check.damages().toString());
    Files.delete(twelve);

    assertEquals(0, io.lazyq.cli.LazyQ.run("vacuum", t.toString(), "--retain", "0s", "--unsafe-for-running-readers",
        "--expire-log"));
    assertFalse(Files.exists(Path.of(log.location(7))));
    assertTrue(Files.exists(Path.of(log.location(8))));
    assertEquals(0.5 * 129 * 130, lazyq(t).selectExpr("sum(x)").first().getDouble(0));
    assertEquals(80, spark.read().format("lazyq").option("versionAsOf", "8").load(t.toString()).count());
    java.io.StringWriter history = new java.io.StringWriter();
    picocli.CommandLine cli = io.lazyq.cli.LazyQ.commandLine();
    cli.setOut(new java.io.PrintWriter(history));
    assertEquals(0, cli.execute("history", t.toString()));
    List<String> lines = history.toString().lines().filter(l -> l.matches("\\s*\\d+\\s.*")).toList();
    assertEquals(6, lines.size(), "versions 13 down to 8, where the log now starts:\n" + history);
    assertTrue(lines.get(5).trim().startsWith("8 ") && lines.get(5).contains(" 80 "), history.toString());
    assertTrue(TableCheck.check(t).intact());
    write(t, 130, 10, SaveMode.Append);
    assertEquals(140, lazyq(t).count());
  }

  @Test
  void aVersionWithoutFilesReadsAsNoRowsOfTheLogsSchema() throws Exception {
    Path t = dir.resolve("empty");
    Dataset<Row> none = spark.range(0, 0).selectExpr("id", "CAST(id AS DOUBLE) AS x", "CAST(id AS STRING) AS s",
        "CAST(id AS INT) AS i");
    none.write().format("lazyq").save(t.toString());
    TableLog log = new TableLog(t.toString(), STORAGE);
    assertEquals(0, log.latestVersion(), "the schema alone: version 0");
    assertEquals(List.of(), log.snapshot().files());
    assertEquals(List.of(), LazyQWriteTest.dataFiles(t), "no file holds the schema: the log does");
    Dataset<Row> read = lazyq(t);
    assertEquals(none.schema().simpleString(), read.schema().simpleString());
    assertEquals(0, read.count());
    assertEquals(0, read.filter("x > 1").select("s").collectAsList().size());

    spark.range(0, 10).selectExpr("id", "CAST(id AS DOUBLE) AS x", "CAST(id AS STRING) AS s", "CAST(id AS INT) AS i")
        .write().format("lazyq").mode(SaveMode.Append).save(t.toString());
    assertEquals(10, lazyq(t).count());
    assertEquals(45.0, lazyq(t).selectExpr("sum(x)").first().getDouble(0));
    Dataset<Row> zero = spark.read().format("lazyq").option("versionAsOf", "0").load(t.toString());
    assertEquals(none.schema().simpleString(), zero.schema().simpleString());
    assertEquals(0, zero.count());

    none.write().format("lazyq").mode(SaveMode.Overwrite).save(t.toString());
    assertEquals(2, log.latestVersion());
    assertEquals(0, lazyq(t).count(), "overwritten with no rows");
    assertEquals(none.schema().simpleString(), lazyq(t).schema().simpleString());
    assertThrows(Exception.class, () -> none.write().format("lazyq").mode(SaveMode.ErrorIfExists).save(t.toString()),
        "an empty table exists");
  }

  private static LazyQFormatException cause(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof LazyQFormatException f) {
        return f;
      }
    }
    throw new AssertionError("no LazyQFormatException in " + e, e);
  }

  /** A {@code lazyq} command on the target's storage, its Hadoop settings as {@code --conf}; what it printed. */
  private static String cli(StorageServers.Target target, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    target.hadoop().forEach((k, v) -> all.addAll(List.of("--conf", k + "=" + v)));
    StringWriter out = new StringWriter();
    CommandLine cli = LazyQ.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(LazyQ.OK, cli.execute(all.toArray(String[]::new)), out.toString());
    return out.toString();
  }

  private static void write(Path t, long from, long rows, SaveMode mode) {
    write(t.toString(), from, rows, mode);
  }

  private static void write(String t, long from, long rows, SaveMode mode) {
    spark.range(from, from + rows, 1, 2).selectExpr("id", "CAST(id AS DOUBLE) AS x").write().format("lazyq").mode(mode)
        .save(t);
  }
}
