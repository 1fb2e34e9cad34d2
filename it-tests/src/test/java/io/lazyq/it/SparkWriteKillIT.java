package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.cli.LazyQ;
import io.lazyq.spark.TableVacuum;
import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The Spark writer killed with {@code kill -9} at random points, again and again
 * ({@code -Dlazyq.it.sparkKills}, default 50): a child JVM ({@link OverwriteLoopMain}) overwrites a
 * table on {@code local[2]}, one complete version after another, and is killed before, inside or
 * after its tasks, inside its job commit, or between two versions. After every kill the table reads
 * as one complete version, the last one committed (or the one being written, when the kill came
 * after its version's log entry was created but before the child said so); every file under the table's directory,
 * leftovers included, passes {@code lazyq inspect} or is named incomplete by it (exit 3).
 *
 * <p>A child's first write loads most of Spark's classes and takes far longer than the next ones,
 * so each kill is aimed, at random: within 3 s of the start of the first write (10%); 0 to
 * {@code -Dlazyq.it.sparkKillMaxMs} (2000) ms after the start of the second (30%: its planning, its
 * tasks, its commit, or the next write); 0 to 300 ms after the second write's first task begins
 * its part file (30%); or 0 to 4 ms after the second write's commit moves its first part file
 * into the table (15%) or creates its version's log entry (15%). Where each kill landed is read afterwards
 * from what the child printed and what it left on disk. Leftovers stay in place: the writers that
 * follow must cope with them, and so do the files of earlier versions, which overwrites remove from
 * the table but not from storage. At the end {@link TableVacuum}, with no retention, removes them
 * all, and the table still reads as the same complete version.
 *
 * <p>On each file system of {@link StorageKinds}: a local disk, and HDFS, whose writers and checks
 * go through the Hadoop client (files under the table are named by their path in it). Vacuum
 * deletes through the local file system only, so on HDFS the leftovers stay and are counted.
 */
class SparkWriteKillIT {
  private static final int KILLS = Integer.getInteger("lazyq.it.sparkKills", 50);
  private static final long ROWS = Long.getLong("lazyq.it.sparkRows", 200_000);
  /** The longest wait after the second version's {@code writing} line before a timed kill. */
  private static final int MAX_DELAY_MS = Integer.getInteger("lazyq.it.sparkKillMaxMs", 2000);
  private static final Pattern PROGRESS = Pattern.compile("(writing|committed) v=(\\d+)");
  private static final Pattern PART = Pattern.compile("part-\\d{5}-[0-9a-f-]+-t\\d+\\.lzq");
  /** A part file being written, under its temporary name. */
  private static final Pattern PART_TEMP = Pattern.compile("\\.part-\\d{5}-[0-9a-f-]+-t\\d+\\.lzq\\.[0-9a-f]+\\.tmp");
  private static final String LOG = TableLog.DIRECTORY;
  private static final String STAGING = "_temporary";
  /** The largest error of a Q8_0 value of magnitude at most 1: half a step of 1/127, and the scale's f16 rounding. */
  private static final double VALUE_ERROR = 0.005;

  private static Path dir;
  private static SparkSession spark;
  /** The table of the run under way: its location, its file system, and its root there. */
  private static String table;
  private static FileSystem fs;
  private static org.apache.hadoop.fs.Path root;
  /** Kinds of storage whose run passed; the local directory goes when all did. */
  private static final Set<String> PASSED = new HashSet<>();

  @BeforeAll
  static void start() throws Exception {
    dir = ItData.freshDir("spark-write-kill");
    spark = SparkSession.builder().appName("spark-write-kill-check").master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (PASSED.containsAll(StorageKinds.kinds())) {
      ItData.delete(dir);
    } else if (dir != null) {
      System.out.println("spark write kill: the local table is kept for inspection under " + dir);
    }
  }

  @ParameterizedTest
  @MethodSource("io.lazyq.it.StorageKinds#kinds")
  void killedSparkWriterLeavesOneCompleteVersion(String kind) throws Exception {
    long began = System.nanoTime();
    table = StorageKinds.table(kind, dir, "table-" + kind);
    Configuration conf = new Configuration();
    // the raw local file system: the checksummed one hides .crc files, and the connector writes none
    fs = kind.equals("local") ? FileSystem.getLocal(conf).getRaw() : FileSystem.get(java.net.URI.create(table), conf);
    root = fs.makeQualified(new org.apache.hadoop.fs.Path(table));
    OverwriteLoopMain.write(OverwriteLoopMain.version(spark, ROWS, 0), table);
    Checked initial = check(0, 0, 0);
    long version = initial.version;

    long seed = Long.getLong("lazyq.it.seed", System.nanoTime());
    System.out.printf("spark write kill, %s: %d kills of a writer overwriting %d rows per version"
        + " (-Dlazyq.it.sparkKills, -Dlazyq.it.seed=%d)%n", kind, KILLS, ROWS, seed);
    Random random = new Random(seed);
    Map<String, Integer> phases = new TreeMap<>();
    Map<Integer, Integer> leftoverCodes = new TreeMap<>();
    Set<String> leftovers = new HashSet<>();
    Set<String> logTemps = new HashSet<>();
    long checkNanos = 0;
    long committedByChildren = 0;
    int midWrite = 0;
    long startNanos = 0;
    long firstWriteNanos = 0;
    int firstWrites = 0;
    for (int kill = 1; kill <= KILLS; kill++) {
      Set<String> before = new HashSet<>(walk());
      long first = version + 1;
      double aim = random.nextDouble();
      String plan;
      Path log = ItData.log("spark-write-kill.log");
      Process p = writer(log, first).start();
      Progress progress = new Progress(log, p);
      long t0 = System.nanoTime();
      try {
        progress.awaitWriting(first);
        long t1 = System.nanoTime();
        startNanos += t1 - t0;
        if (aim < 0.1) {
          int delay = random.nextInt(3000);
          plan = "first write +" + delay + " ms";
          Thread.sleep(delay);
        } else {
          progress.awaitWriting(first + 1);
          firstWriteNanos += System.nanoTime() - t1;
          firstWrites++;
          if (aim < 0.4) {
            int delay = random.nextInt(MAX_DELAY_MS + 1);
            plan = "second write +" + delay + " ms";
            Thread.sleep(delay);
          } else {
            Step step = aim < 0.7 ? Step.STAGED : aim < 0.85 ? Step.MOVED : Step.SWAPPED;
            // a commit takes a few milliseconds once its parts are written
            int delay = random.nextInt(step == Step.STAGED ? 300 : 5);
            plan = "second write, " + step.what + " +" + delay + " ms";
            await(p, step);
            Thread.sleep(delay);
          }
        }
        assertTrue(p.isAlive(), "the writer ended before it was killed:\n" + Files.readString(log));
      } finally {
        p.destroyForcibly().waitFor();
      }
      progress.poll();
      long lastCommitted = progress.committed < 0 ? version : progress.committed;
      long lastWriting = progress.writing;
      boolean inFlight = lastWriting > lastCommitted;
      midWrite += inFlight ? 1 : 0;

      Checked now;
      try {
        long t2 = System.nanoTime();
        now = check(kill, lastCommitted, inFlight ? lastCommitted + 1 : lastCommitted);
        checkNanos += System.nanoTime() - t2;
        for (String f : walk()) {
          String name = name(f);
          boolean inLog = f.equals(LOG + "/" + name);
          if (inLog && name.startsWith(".") && name.endsWith(".tmp")) {
            logTemps.add(f);
          } else if (!now.listed.contains(f) && !inLog && !leftovers.contains(f)) {
            // a part file in the table's directory, or one in staging, whole or being written
            boolean staged = f.startsWith(STAGING + "/");
            assertTrue(isPart(f) || staged && (isPart(name) || PART_TEMP.matcher(name).matches()),
                "kill " + kill + ": unexpected file " + f);
            int code = inspect(f);
            assertTrue(code == LazyQ.OK || code == LazyQ.BAD_INPUT, "kill " + kill + ": lazyq inspect " + location(f)
                + " exited " + code);
            if (leftovers.add(f)) {
              leftoverCodes.merge(code, 1, Integer::sum);
            }
          }
        }
      } catch (AssertionError | RuntimeException e) {
        System.out.printf("spark write kill %d (%s): child printed writing v=%d, committed v=%d; on disk:%n%s%n",
            kill, plan, lastWriting, lastCommitted, describe());
        System.out.println("the child's log:\n" + Files.readString(log));
        throw e;
      }
      committedByChildren += now.version - version;
      String phase = phase(inFlight, now.version > lastCommitted, now.listed, before);
      phases.merge(phase, 1, Integer::sum);
      System.out.printf("spark write kill, %s, %d (%s): writing v=%d, committed v=%d; the table holds v=%d,"
          + " complete; %s%n", kind, kill, plan, lastWriting, lastCommitted, now.version, phase);
      version = now.version;
    }
    long leftoverBytes = 0;
    for (String f : leftovers) {
      leftoverBytes += fs.exists(path(f)) ? fs.getFileStatus(path(f)).getLen() : 0;
    }
    vacuumLeavesTheVersion(version, conf);
    PASSED.add(kind);
    if (!kind.equals("local")) {
      fs.delete(root, true);
    }
    System.out.printf("spark write kill, %s: %d kills (-Dlazyq.it.seed=%d) in %.0f s; %d versions committed by the"
        + " killed writers, the table at v=%d, one complete version after every kill; %d kills mid-write; where"
        + " they landed: %s; %d leftover files inspected (%d bytes), by exit code: %s; child start %.1f s and first"
        + " write %.1f s and check %.1f s on average; %d temporary log entries left%n",
        kind, KILLS, seed, (System.nanoTime() - began) / 1e9, committedByChildren, version, midWrite, phases,
        leftovers.size(), leftoverBytes, leftoverCodes, startNanos / 1e9 / KILLS,
        firstWrites == 0 ? 0 : firstWriteNanos / 1e9 / firstWrites, checkNanos / 1e9 / KILLS, logTemps.size());
  }

  /** With no writer left and no retention, vacuum deletes everything the latest version lacks, and nothing else. */
  private static void vacuumLeavesTheVersion(long version, Configuration conf) throws IOException {
    Storage storage = Storage.of(conf);
    TableVacuum vacuum = TableVacuum.plan(table, storage, Duration.ZERO, Duration.ZERO);
    vacuum.delete(storage);
    Checked clean = check(KILLS + 1, version, version);
    for (String f : walk()) {
      // the log stays whole: its entries, checkpoints and the hint to the latest checkpoint
      boolean log = f.equals(LOG + "/" + name(f)) && (f.endsWith(".json") || name(f).equals(TableLog.LAST_CHECKPOINT));
      assertTrue(clean.listed.contains(f) || log, "left after vacuum: " + f);
    }
    assertTrue(!fs.exists(path(STAGING)), "the staging directory is left after vacuum");
    System.out.printf("spark write kill: vacuum deleted %d leftovers (%,d bytes); the table still v=%d, complete%n",
        vacuum.leftovers().size(), vacuum.bytes(), clean.version);
  }

  /**
   * A writer JVM from version {@code first} on. C1 only: a child lives for seconds, and C2's
   * compiler threads would double its start on two cores.
   */
  private static ChildJvm writer(Path log, long first) {
    return ChildJvm.of("512m", log, OverwriteLoopMain.class.getName(), table, Long.toString(ROWS),
        Long.toString(first)).jvmOption("-XX:TieredStopAtLevel=1");
  }

  /** What a check found: the version that the table holds and the files of its latest log version, by path in the table. */
  private record Checked(long version, Set<String> listed) {}

  /**
   * Reads the table with the connector and checks that it holds one complete version, one of
   * {@code low} and {@code high}; checks that its latest log version holds intact files of ROWS rows.
   */
  private static Checked check(int kill, long low, long high) throws IOException {
    String at = "after kill " + kill + ": ";
    Snapshot latest = new TableLog(table, Storage.of(new Configuration())).snapshot();
    Set<String> listed = new HashSet<>();
    for (AddFile f : latest.files()) {
      String file = f.path();
      assertTrue(fs.isFile(path(file)), at + "version " + latest.version() + " holds " + location(file)
          + ", which is missing");
      assertEquals(LazyQ.OK, inspect(file), at + "lazyq inspect " + location(file) + ", which the latest version holds");
      listed.add(file);
    }
    assertEquals(ROWS, latest.rows(), at + "rows of the latest version's files");

    // Distinct ids counted with a bitmap per bucket of 32768 ids, so that the rows need no shuffle.
    Row r = spark.read().format("lazyq").load(table)
        .selectExpr("bitmap_bucket_number(id) AS bucket", "id", "version", "value", "level")
        .groupBy("bucket").agg(functions.expr("count(*) AS n"), functions.expr("min(version) AS low"),
            functions.expr("max(version) AS high"),
            functions.expr("bitmap_count(bitmap_construct_agg(bitmap_bit_position(id))) AS ids"),
            functions.expr("min(id) AS first"), functions.expr("max(id) AS last"),
            functions.expr("max(abs(value - CAST(sin(id / 100.0 + version) AS FLOAT))) AS e1"),
            functions.expr("max(abs(level - CAST((id % 1000) / 100.0 + version AS FLOAT))) AS e2"))
        .selectExpr("sum(n)", "min(low)", "max(high)", "sum(ids)", "min(first)", "max(last)", "max(e1)", "max(e2)")
        .first();
    assertEquals(ROWS, r.getLong(0), at + "rows");
    long version = r.getLong(1);
    assertEquals(version, r.getLong(2), at + "one version in the table");
    assertTrue(version == low || version == high, at + "the table holds v=" + version + ", not v=" + low
        + (high == low ? "" : " or v=" + high));
    assertEquals(ROWS, r.getLong(3), at + "distinct ids");
    assertEquals(0, r.getLong(4), at + "the least id");
    assertEquals(ROWS - 1, r.getLong(5), at + "the greatest id");
    assertTrue(r.getFloat(6) <= VALUE_ERROR, at + "value (Q8_0) off by " + r.getFloat(6));
    assertTrue(r.getFloat(7) <= OverwriteLoopMain.LEVEL_BOUND * 1.0001, at + "level (error-bounded) off by "
        + r.getFloat(7));
    return new Checked(version, listed);
  }

  /**
   * Where the kill landed, from what the child printed and what it left on disk: part files new in
   * the table's directory that no version holds (moved in by a commit not yet published), and files
   * in the staging directory.
   */
  private static String phase(boolean inFlight, boolean swapped, Set<String> listed, Set<String> before)
      throws IOException {
    if (!inFlight) {
      return "between versions";
    }
    boolean unlisted = false;
    boolean staged = false;
    boolean writing = false;
    for (String f : walk()) {
      if (isPart(f) && !listed.contains(f) && !before.contains(f)) {
        unlisted = true;
      } else if (f.startsWith(STAGING + "/") && !before.contains(f)) {
        staged = true;
        writing |= f.endsWith(".tmp");
      }
    }
    if (swapped) {
      return "after the commit, before it printed committed";
    }
    if (unlisted) {
      return "in the commit, parts moved, version not yet committed";
    }
    if (writing) {
      return "in tasks, part files being written";
    }
    return staged ? "tasks done, parts not yet moved" : "before any part file";
  }

  /** Steps of a write that a kill may follow. */
  private enum Step {
    STAGED("a task's part file begun"), MOVED("a part moved into the table"), SWAPPED("a version committed");

    final String what;

    Step(String what) {
      this.what = what;
    }
  }

  /** Waits until the write under way takes {@code step}. */
  private static void await(Process p, Step step) throws Exception {
    long versions = versions();
    Set<String> present = null;
    while (present == null) {
      try {
        present = new HashSet<>(walk());
      } catch (IOException | UncheckedIOException changing) {
        // a file or directory went while listed: again
      }
    }
    Set<String> before = present;
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline && p.isAlive()) {
      try {
        boolean taken = switch (step) {
          // the staging directory alone, and the table's directory alone: on HDFS each listing is a NameNode call
          case STAGED -> walk(STAGING, true).stream().anyMatch(f -> !before.contains(f));
          case MOVED -> walk("", false).stream().anyMatch(f -> !before.contains(f) && isPart(f));
          case SWAPPED -> versions() > versions;
        };
        if (taken) {
          return;
        }
      } catch (IOException | UncheckedIOException changing) {
        // listed or read while being renamed or deleted: again
      }
      Thread.sleep(1);
    }
    throw new AssertionError("the writer ended before " + step.what + ":\n"
        + Files.readString(ItData.log("spark-write-kill.log")));
  }

  /** A child's progress, from its {@code writing} and {@code committed} lines. */
  private static final class Progress {
    private final Path log;
    private final Process p;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    long writing = -1;
    long committed = -1;

    Progress(Path log, Process p) {
      this.log = log;
      this.p = p;
    }

    void awaitWriting(long v) throws Exception {
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (System.nanoTime() < deadline) {
        boolean alive = p.isAlive();
        poll();
        if (writing >= v) {
          return;
        }
        if (!alive) {
          throw new AssertionError("the writer ended before it was killed:\n" + Files.readString(log));
        }
        Thread.sleep(2);
      }
      throw new AssertionError("the writer never started version " + v + ":\n" + Files.readString(log));
    }

    /** Reads what the child printed since the last call. */
    void poll() throws IOException {
      if (!Files.exists(log)) {
        return;
      }
      try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
        long length = f.length();
        if (length <= offset) {
          return;
        }
        byte[] b = new byte[(int) (length - offset)];
        f.seek(offset);
        f.readFully(b);
        offset = length;
        partial.append(new String(b, StandardCharsets.UTF_8));
      }
      int end;
      while ((end = partial.indexOf("\n")) >= 0) {
        Matcher m = PROGRESS.matcher(partial.substring(0, end));
        if (m.find()) {
          long v = Long.parseLong(m.group(2));
          if (m.group(1).equals("writing")) {
            writing = v;
          } else {
            committed = v;
          }
        }
        partial.delete(0, end + 1);
      }
    }
  }

  /** Whether {@code f} is a part file in the table's directory itself (or, given a name, is named as one). */
  private static boolean isPart(String f) {
    return PART.matcher(f).matches();
  }

  /** A file's name, the last element of its path in the table. */
  private static String name(String f) {
    return f.substring(f.lastIndexOf('/') + 1);
  }

  /** A file of the table on its file system, from its path in the table. */
  private static org.apache.hadoop.fs.Path path(String f) {
    return new org.apache.hadoop.fs.Path(root, f);
  }

  /** A file of the table as a location that LazyQ reads. */
  private static String location(String f) {
    return Storage.resolve(table, f);
  }

  /** Every file under the table's directory, by its path in the table, sorted. */
  private static List<String> walk() throws IOException {
    return walk("", true);
  }

  /** The files in a directory of the table ({@code ""} for its own), or under it, by their paths in the table. */
  private static List<String> walk(String under, boolean recursive) throws IOException {
    org.apache.hadoop.fs.Path top = under.isEmpty() ? root : path(under);
    List<String> files = new ArrayList<>();
    if (fs.exists(top)) {
      walk(top, recursive, root + "/", files);
    }
    files.sort(null);
    return files;
  }

  /**
   * Lists with {@code listStatus}, not {@code listFiles}: on the local file system the latter asks
   * {@code ls} for each file's permissions, a process per file and per poll.
   */
  private static void walk(org.apache.hadoop.fs.Path dir, boolean recursive, String prefix, List<String> files)
      throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      String p = s.getPath().toString();
      if (!p.startsWith(prefix)) {
        throw new IllegalStateException(p + " listed under " + root);
      }
      if (s.isDirectory() && recursive) {
        walk(s.getPath(), true, prefix, files);
      } else if (!s.isDirectory()) {
        files.add(p.substring(prefix.length()));
      }
    }
  }

  /** The table's directory as it is: every file with its size, and the number of versions. */
  private static String describe() {
    StringBuilder out = new StringBuilder();
    try {
      for (String f : walk()) {
        out.append(String.format("  %10d %s%n", fs.getFileStatus(path(f)).getLen(), f));
      }
      out.append(versions()).append(" versions in the log");
    } catch (IOException e) {
      out.append("(cannot list: ").append(e).append(')');
    }
    return out.toString();
  }

  /** How many versions the log holds. */
  private static long versions() throws IOException {
    long n = 0;
    for (FileStatus s : fs.listStatus(path(LOG))) {
      n += s.getPath().getName().matches("\\d{20}\\.json") ? 1 : 0;
    }
    return n;
  }

  /** {@code lazyq inspect FILE}, its output kept out of the test log. */
  private static int inspect(String f) {
    CommandLine cli = LazyQ.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(new StringWriter()));
    return cli.execute("inspect", location(f));
  }
}
