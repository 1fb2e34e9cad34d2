package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqStream;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.StreamOptions;
import io.lazyq.format.WriterOptions;
import io.lazyq.sample.SensorDay;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The driver of a streaming query ({@code readStream.format("lazyq")} into Spark's Parquet file
 * sink) killed with {@code kill -9} at random points ({@code -Dlazyq.it.streamKills}, default 20;
 * {@code -Dlazyq.it.seed}) while files grow and new files appear, and restarted from its checkpoint
 * each time; a last run with {@code Trigger.AvailableNow} catches up. The sink then holds every row
 * of the input exactly once, each value equal to its generator's, and the same per-minute
 * aggregates as a batch query over the input.
 */
class StreamDriverKillIT {
  private static final int KILLS = Integer.getInteger("lazyq.it.streamKills", 20);
  /**
   * A quarter of the kills come up to this long after the restarted query has started, mostly in
   * its first micro-batch (which takes seconds: the JVM is cold); the others come up to
   * {@link #AFTER_BATCH_MS} after its first committed micro-batch. Both uniform.
   */
  private static final int AFTER_START_MS = 6000;
  private static final int AFTER_BATCH_MS = 3000;
  /** Small chunks and few per micro-batch: many micro-batches. */
  private static final int CHUNK_ROWS = 2000;
  private static final String MAX_CHUNKS_PER_TRIGGER = "2";
  private static final WriterOptions CHUNKS = WriterOptions.DEFAULTS.withChunkRows(CHUNK_ROWS);
  /** Each input file holds rows of its own block of the day, from the block's first row on. */
  private static final int BLOCK_ROWS = 250_000;
  private static final SensorDay DAY = new SensorDay(100L * BLOCK_ROWS, 8, 23);
  /**
   * What the feeder writes during each run of the driver, once its query has started, one step
   * every {@link #FEED_PACE_MS}: chunks appended to the growing file, and every few runs a new file.
   * A fixed amount per run rather than per second, so that the input stays the same size however
   * slow the machine.
   */
  private static final int APPENDS_PER_RUN = 4;
  private static final int NEW_FILE_EVERY_RUNS = 3;
  private static final int NEW_FILE_CHUNKS = 4;
  private static final long FEED_PACE_MS = 400;
  private static final Pattern BATCH = Pattern.compile(
      "^" + Pattern.quote(StreamDriverMain.BATCH) + " (\\d+) rows (\\d+) ", Pattern.MULTILINE);
  private static Path dir;
  /** Whether the test passed; otherwise its input, checkpoint and sink are kept for inspection. */
  private static boolean passed;

  @BeforeAll
  static void dir() throws Exception {
    dir = ItData.freshDir("stream-kills");
  }

  @AfterAll
  static void cleanUp() {
    if (passed) {
      ItData.delete(dir);
    } else {
      System.out.println("stream driver kills: input, checkpoint and sink kept in " + dir);
    }
  }

  @Test
  void killedDriverRestartsFromItsCheckpointWithoutDuplicatesOrGaps() throws Exception {
    long t0 = System.nanoTime();
    Path data = Files.createDirectories(dir.resolve("in"));
    Path checkpoint = dir.resolve("checkpoint");
    Path sink = dir.resolve("sink");
    Feeder feeder = new Feeder(data);
    for (int f = 0; f < 3; f++) {
      feeder.writeClosed(10);
    }
    feeder.openGrowing();
    feeder.appendChunk();
    feeder.appendChunk();
    feeder.start();
    int initialChunks = feeder.chunks();

    long seed = Long.getLong("lazyq.it.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.printf("stream driver kills: %d kills, seed %d%n", KILLS, seed);
    int afterProgress = 0;
    int inFlight = 0;
    int sinkAhead = 0;
    int batchesSeen = 0;
    try {
      for (int kill = 1; kill <= KILLS; kill++) {
        Path log = ItData.log(String.format("stream-driver-%02d.log", kill));
        boolean inFirstBatch = random.nextInt(4) == 0;
        long delayMs = random.nextInt(inFirstBatch ? AFTER_START_MS : AFTER_BATCH_MS);
        Process p = driver(log, "run").start();
        long from = waitFor(p, log, StreamDriverMain.STARTED);
        if (kill == KILLS / 2 + 1) {
          feeder.feed(Feeder.Step.SWITCH); // the growing file gets its footer; a new one begins
        }
        for (int a = 0; a < APPENDS_PER_RUN; a++) {
          feeder.feed(Feeder.Step.APPEND);
        }
        if (kill % NEW_FILE_EVERY_RUNS == 0) {
          feeder.feed(Feeder.Step.NEW_FILE);
        }
        if (!inFirstBatch) {
          from = waitFor(p, log, StreamDriverMain.BATCH);
        }
        sleepWhileAlive(p, log, from + delayMs * 1_000_000);
        p.destroyForcibly().waitFor();

        List<long[]> batches = batches(Files.readString(log));
        State state = State.of(checkpoint, sink);
        batchesSeen += batches.size();
        afterProgress += batches.isEmpty() ? 0 : 1;
        String where;
        if (state.offsets() < 0) {
          where = "before the first batch was planned";
        } else if (state.offsets() == state.commits()) {
          where = "between batches (last committed: " + state.commits() + ")";
        } else if (state.sink() >= state.offsets()) {
          sinkAhead++;
          inFlight++;
          where = "in batch " + state.offsets() + " after its sink commit, before commits/" + state.offsets();
        } else {
          inFlight++;
          where = "in batch " + state.offsets() + " (offsets/" + state.offsets() + " written, sink not committed)";
        }
        System.out.printf("stream driver kills: kill %d/%d %d ms after the query's %s, %d batches committed"
            + " since the restart%s; %s%n", kill, KILLS, delayMs, inFirstBatch ? "start" : "first batch", batches.size(),
            batches.isEmpty() ? "" : " (" + batches.get(0)[0] + ".." + batches.get(batches.size() - 1)[0] + ")",
            where);
      }
    } finally {
      feeder.stop();
    }

    Path finalLog = ItData.log("stream-driver-final.log");
    ChildJvm.Result last = driver(finalLog, "available-now").run(15);
    assertEquals(0, last.exitCode(), "the last run, with Trigger.AvailableNow:\n" + tail(last.output()));
    assertEquals("true", last.values().get("finished"));
    List<long[]> finalBatches = batches(last.output());
    State state = State.of(checkpoint, sink);
    assertEquals(state.offsets(), state.commits(), "after the last run, every planned batch is committed");
    assertEquals(state.commits(), state.sink(), "the sink's log ends at the last committed batch");
    double loopSeconds = (System.nanoTime() - t0) / 1e9;

    long rows = feeder.checkFiles();
    double filesSeconds = (System.nanoTime() - t0) / 1e9 - loopSeconds;
    Check check = checkSink(feeder, sink, data);
    double seconds = (System.nanoTime() - t0) / 1e9;

    System.out.printf("stream driver kills: %d kills (-Dlazyq.it.streamKills, -Dlazyq.it.seed=%d): %d landed after"
        + " >= 1 new batch since the restart, %d with a batch in flight (%d of them after its sink commit);"
        + " %d micro-batches committed in all (%d reported by the killed runs, %d by the last run, Trigger.AvailableNow);"
        + " %d input files, %d chunks (%d before the first run, then %d appended to growing files and %d in %d"
        + " files dropped in); %d rows in the sink, each exactly once, values equal; %d part files written, %d of"
        + " them left by killed batches (%d unreadable, %d rows in the others) and ignored through _spark_metadata;"
        + " per-minute aggregates equal the batch query's; wall time %.1f s (%.1f s until the last run ended,"
        + " %.1f s reading the input files, %.1f s checking the sink)%n",
        KILLS, seed, afterProgress, inFlight, sinkAhead, state.commits() + 1, batchesSeen, finalBatches.size(),
        feeder.files.size(), feeder.chunks(), initialChunks, feeder.appended, feeder.dropped * NEW_FILE_CHUNKS,
        feeder.dropped, rows, check.partFiles(), check.leftoverFiles(), check.unreadableLeftovers(),
        check.leftoverRows(), seconds, loopSeconds, filesSeconds, seconds - loopSeconds - filesSeconds);
    assertTrue(KILLS < 5 || afterProgress > 0, "no kill came after a committed batch: the kills tested little");
    passed = true;
  }

  /**
   * The driver JVM on {@code local[2]}, 512 MB of heap. Its JIT stops at C1: the driver is started
   * 21 times and killed within seconds, and on a machine of two busy cores C2's compilations
   * about double the time until its query has run a first micro-batch.
   */
  private static ChildJvm driver(Path log, String mode) {
    return ChildJvm.of("512m", log, StreamDriverMain.class.getName(), dir.resolve("in").toString(),
        dir.resolve("checkpoint").toString(), dir.resolve("sink").toString(), MAX_CHUNKS_PER_TRIGGER, mode)
        .jvmOption("-XX:TieredStopAtLevel=1");
  }

  /** Waits for the child to print a line starting with {@code prefix}; returns when (nanoTime). */
  private static long waitFor(Process p, Path log, String prefix) throws Exception {
    long deadline = System.nanoTime() + 180_000_000_000L;
    Pattern line = Pattern.compile("^" + Pattern.quote(prefix) + " ", Pattern.MULTILINE);
    while (System.nanoTime() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      if (line.matcher(out).find()) {
        return System.nanoTime();
      }
      if (!p.isAlive()) {
        fail("the driver ended before it printed " + prefix + " (exit " + p.exitValue() + "):\n" + tail(out));
      }
      Thread.sleep(20);
    }
    p.destroyForcibly().waitFor();
    throw new AssertionError("the driver printed no " + prefix + " within 3 min:\n" + tail(Files.readString(log)));
  }

  /** Sleeps until {@code until} (nanoTime); fails if the child ends meanwhile. */
  private static void sleepWhileAlive(Process p, Path log, long until) throws Exception {
    while (System.nanoTime() < until) {
      if (!p.isAlive()) {
        fail("the driver ended before it was killed (exit " + p.exitValue() + "):\n" + tail(Files.readString(log)));
      }
      Thread.sleep(Math.max(1, Math.min(20, (until - System.nanoTime()) / 1_000_000)));
    }
  }

  /** The micro-batches a driver's log reports as committed: id and rows each. */
  private static List<long[]> batches(String output) {
    List<long[]> out = new ArrayList<>();
    Matcher m = BATCH.matcher(output);
    while (m.find()) {
      out.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
    }
    return out;
  }

  private static String tail(String output) {
    return output.length() <= 20_000 ? output : "..." + output.substring(output.length() - 20_000);
  }

  /** Figures of the sink: its part files, those that no committed batch lists, and what they hold. */
  private record Check(long partFiles, long leftoverFiles, long unreadableLeftovers, long leftoverRows) {}

  /**
   * Reads the sink as Spark reads it (through {@code _spark_metadata}) and checks every row against
   * the input: each key at most once, none outside the input, none missing, values equal; then
   * compares per-minute aggregates with a batch query over the input.
   */
  private static Check checkSink(Feeder feeder, Path sink, Path data) throws Exception {
    SparkSession spark = ClusterJobs.local("stream-kills-check");
    try {
      Dataset<Row> out = spark.read().parquet(sink.toString());
      BitSet seen = new BitSet();
      long rows = 0;
      long duplicates = 0;
      long foreign = 0;
      long wrong = 0;
      List<String> examples = new ArrayList<>();
      Iterator<Row> it = out.selectExpr("unix_micros(ts)", "sensor", "temperature", "pressure", "vibration")
          .toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        rows++;
        long row = rowOf(r.getLong(0));
        if (row < 0 || !feeder.holds(row)) {
          foreign++;
          example(examples, "not an input row: " + r);
          continue;
        }
        if (seen.get((int) row)) {
          duplicates++;
          example(examples, "row " + row + " twice: " + r);
          continue;
        }
        seen.set((int) row);
        if (!r.getString(1).equals(DAY.sensorName(DAY.sensorOf(row))) || r.getFloat(2) != DAY.temperature(row)
            || r.getFloat(3) != DAY.pressure(row) || r.getFloat(4) != DAY.vibration(row)) {
          wrong++;
          example(examples, "row " + row + " differs from its generator: " + r);
        }
      }
      long missing = 0;
      for (Map.Entry<String, long[]> f : feeder.files.entrySet()) {
        long first = f.getValue()[0];
        int gap = seen.nextClearBit((int) first);
        long absent = f.getValue()[1] - seen.get((int) first, (int) (first + f.getValue()[1])).cardinality();
        missing += absent;
        if (absent > 0) {
          example(examples, absent + " rows of " + f.getKey() + " missing, the first at row " + gap
              + " (chunk " + (gap - first) / CHUNK_ROWS + ")");
        }
      }
      assertTrue(duplicates == 0 && foreign == 0 && wrong == 0 && missing == 0, String.format(
          "sink: %d rows, %d duplicates, %d not from the input, %d with other values, %d input rows missing: %s",
          rows, duplicates, foreign, wrong, missing, examples));
      assertEquals(feeder.rows(), rows);

      Rows.assertClose(perMinute(spark.read().format("lazyq").load(data.toString())), perMinute(out), 1e-9);

      List<String> partFiles;
      try (Stream<Path> s = Files.list(sink)) {
        partFiles = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).toList();
      }
      java.util.Set<String> committed = new java.util.HashSet<>();
      for (String f : out.inputFiles()) {
        committed.add(f.substring(f.lastIndexOf('/') + 1));
      }
      // Files of killed batches, which may have been cut short by the kill.
      List<String> leftovers = partFiles.stream().filter(n -> !committed.contains(n))
          .map(n -> sink.resolve(n).toString()).toList();
      long unreadable = 0;
      long leftoverRows = 0;
      org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
      for (String f : leftovers) {
        try (ParquetFileReader r = ParquetFileReader.open(
            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f), conf))) {
          leftoverRows += r.getRecordCount();
        } catch (IOException | RuntimeException e) {
          unreadable++; // cut short by the kill: no footer
        }
      }
      return new Check(partFiles.size(), leftovers.size(), unreadable, leftoverRows);
    } finally {
      spark.stop();
    }
  }

  private static void example(List<String> examples, String s) {
    if (examples.size() < 10) {
      examples.add(s);
    }
  }

  /** The row of the day with this timestamp, or -1. */
  private static long rowOf(long micros) {
    long at = micros - SensorDay.DAY_START_MICROS;
    long interval = DAY.intervalMicros();
    if (at < 0 || at % interval >= DAY.sensors()) {
      return -1;
    }
    long row = at / interval * DAY.sensors() + at % interval;
    return row < DAY.rows() && DAY.timestampMicros(row) == micros ? row : -1;
  }

  private static List<Row> perMinute(Dataset<Row> df) {
    return df.selectExpr("date_trunc('minute', ts) AS minute", "sensor", "temperature", "pressure", "vibration")
        .groupBy("minute", "sensor")
        .agg(functions.count("*"), functions.sum("temperature"), functions.min("pressure"),
            functions.max("vibration"))
        .orderBy("minute", "sensor")
        .collectAsList();
  }

  /** The last batch ids of a checkpoint's offsets/ and commits/ and of the sink's _spark_metadata; -1 for none. */
  private record State(long offsets, long commits, long sink) {
    static State of(Path checkpoint, Path sink) throws IOException {
      return new State(last(checkpoint.resolve("offsets")), last(checkpoint.resolve("commits")),
          last(sink.resolve("_spark_metadata")));
    }

    private static long last(Path log) throws IOException {
      if (!Files.isDirectory(log)) {
        return -1;
      }
      try (Stream<Path> s = Files.list(log)) {
        return s.map(p -> p.getFileName().toString().replaceFirst("\\.compact$", ""))
            .filter(n -> n.matches("\\d+")).mapToLong(Long::parseLong).max().orElse(-1);
      }
    }
  }

  /**
   * Writes the input: complete files (published atomically, under a hidden name until complete)
   * and files growing chunk by chunk, each file from the first row of its own block of the day.
   * Once started, takes the steps it is fed one at a time, every {@link #FEED_PACE_MS}, in a thread
   * of its own.
   */
  private static final class Feeder implements Runnable {
    enum Step { APPEND, NEW_FILE, SWITCH, STOP }

    private final Path data;
    /** File name to its first row and its rows in complete chunks. */
    final Map<String, long[]> files = new TreeMap<>();
    private final java.util.concurrent.BlockingQueue<Step> steps = new java.util.concurrent.LinkedBlockingQueue<>();
    private int blocks;
    private LzqWriter growing;
    private String growingName;
    private Thread thread;
    private volatile Throwable failure;
    int appended;
    int dropped;

    Feeder(Path data) {
      this.data = data;
    }

    /** A new complete file of {@code chunks} chunks; names alternate so that some sort after the growing file. */
    void writeClosed(int chunks) throws IOException {
      String name = String.format("%s-%03d.lzq", blocks % 2 == 0 ? "f" : "h", blocks);
      long first = block(name);
      try (LzqWriter w = LzqWriter.create(data.resolve(name), SensorDay.schema(), CHUNKS)) {
        DAY.writeRows(w, first, first + (long) chunks * CHUNK_ROWS);
        w.commit();
      }
      files.get(name)[1] = (long) chunks * CHUNK_ROWS;
    }

    void openGrowing() throws IOException {
      String name = String.format("g-%03d.lzq", blocks);
      block(name);
      growing = LzqWriter.appendable(data.resolve(name), SensorDay.schema(), CHUNKS);
      growingName = name;
    }

    void appendChunk() throws IOException {
      long[] f = files.get(growingName);
      if (f[1] + CHUNK_ROWS > BLOCK_ROWS) {
        closeGrowing();
        openGrowing();
        f = files.get(growingName);
      }
      DAY.writeRows(growing, f[0] + f[1], f[0] + f[1] + CHUNK_ROWS);
      growing.flushChunk();
      f[1] += CHUNK_ROWS;
    }

    private void closeGrowing() throws IOException {
      growing.commit();
      growing.close();
      growing = null;
    }

    private long block(String name) {
      long first = (long) blocks++ * BLOCK_ROWS;
      if (first + BLOCK_ROWS > DAY.rows()) {
        throw new IllegalStateException("the day has no block left for " + name);
      }
      files.put(name, new long[] {first, 0});
      return first;
    }

    /** Whether an input file holds this row. */
    boolean holds(long row) {
      for (long[] f : files.values()) {
        if (row >= f[0] && row < f[0] + f[1]) {
          return true;
        }
      }
      return false;
    }

    long rows() {
      return files.values().stream().mapToLong(f -> f[1]).sum();
    }

    int chunks() {
      return (int) (rows() / CHUNK_ROWS);
    }

    void start() {
      thread = new Thread(this, "stream-kills-feeder");
      thread.setDaemon(true);
      thread.start();
    }

    void feed(Step step) {
      steps.add(step);
    }

    @Override
    public void run() {
      try {
        for (Step step = steps.take(); step != Step.STOP; step = steps.take()) {
          Thread.sleep(FEED_PACE_MS);
          switch (step) {
            case APPEND -> {
              appendChunk();
              appended++;
            }
            case NEW_FILE -> {
              writeClosed(NEW_FILE_CHUNKS);
              dropped++;
            }
            case SWITCH -> {
              closeGrowing();
              openGrowing();
            }
            default -> throw new IllegalStateException(step.toString());
          }
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    /** Takes the steps fed so far, then closes the growing file, which gets its footer. */
    void stop() throws Exception {
      if (thread != null) {
        steps.add(Step.STOP);
        thread.join();
      }
      if (growing != null) {
        closeGrowing();
      }
      if (failure != null) {
        throw new AssertionError("the feeder failed", failure);
      }
    }

    /**
     * Reads every input file front to back with the connector's stream reader: each holds exactly
     * the rows the feeder wrote to it, equal to their generator's. Returns the rows of all files.
     */
    long checkFiles() throws IOException {
      List<String> names;
      try (Stream<Path> s = Files.list(data)) {
        names = s.map(p -> p.getFileName().toString()).sorted().toList();
      }
      assertEquals(new ArrayList<>(files.keySet()), names, "the input directory holds the feeder's files, no other");
      long total = 0;
      for (String name : names) {
        long[] f = files.get(name);
        assertNotNull(f, name);
        long row = f[0];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(data.resolve(name)), 1 << 16);
            LzqStream s = LzqStream.open(in, name, StreamOptions.DEFAULTS)) {
          while (s.next()) {
            ColumnView ts = s.column(0);
            ColumnView sensor = s.column(1);
            ColumnView temp = s.column(2);
            ColumnView pres = s.column(3);
            ColumnView vib = s.column(4);
            for (int i = 0; i < ts.rows(); i++, row++) {
              if (ts.getLong(i) != DAY.timestampMicros(row)
                  || !sensor.getString(i).equals(DAY.sensorName(DAY.sensorOf(row)))
                  || temp.getFloat(i) != DAY.temperature(row) || pres.getFloat(i) != DAY.pressure(row)
                  || vib.getFloat(i) != DAY.vibration(row)) {
                fail(name + ": row " + (row - f[0]) + " differs from its generator's row " + row);
              }
            }
          }
        }
        assertEquals(f[1], row - f[0], name + ": rows");
        total += f[1];
      }
      return total;
    }
  }
}
