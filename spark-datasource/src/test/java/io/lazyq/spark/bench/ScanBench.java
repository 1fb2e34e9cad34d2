package io.lazyq.spark.bench;

import io.lazyq.cli.ParquetBytes;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.sample.SensorDay;
import io.lazyq.spark.ScanMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * End-to-end scans, LazyQ against Parquet, on the same sensor data, in one Spark session, warm
 * page cache: {@code mvn -pl spark-datasource -Pbench test-compile exec:exec [-Dbench.rows=N]
 * [-Dbench.master=local[2]] [-Dbench.queries=1,3] [-Dbench.formats=lazyq q8_0,parquet float32 snappy]
 * [-Dbench.profile=dir]} (the last three select queries by number and formats by the start of their
 * names, and write a JFR recording of each one's timed runs, to profile it).
 *
 * <p>For each format and query it prints the best wall time of several runs as rows/s, the ratio to
 * Parquet (snappy), the same two for the JVM's CPU time (the best run's; steadier than wall time
 * on a machine that others load), the bytes on disk, the bytes the scan read (LazyQ: mapped or streamed, from its
 * metrics; Parquet: the selected column chunks' stored sizes, from the footers) and the heap's peak
 * during the query. Parquet's BYTE_STREAM_SPLIT is not compared: Spark 4.1.3's writer ignores it
 * and its vectorized reader rejects it.
 */
public final class ScanBench {
  static final String[] QUERIES = {
      "SELECT sum(temperature) FROM %s",
      "SELECT sum(temperature), sum(pressure), sum(vibration) FROM %s",
      "SELECT sensor, avg(temperature), max(vibration) FROM %s GROUP BY sensor",
  };

  private static final String PUSHDOWN_OFF = "lazyq q8_0, aggregatePushdown=false";
  private static final String PARQUET_V2 = "parquet float32 snappy, V2 source, aggregatePushdown=true";

  public static void main(String[] args) throws IOException {
    long rows = Long.getLong("bench.rows", 20_000_000L);
    String master = System.getProperty("bench.master", "local[2]");
    int repeats = Integer.getInteger("bench.repeats", 5);
    Path dir = Path.of(System.getProperty("bench.dir", "target/bench-scan"));
    Files.createDirectories(dir);
    SensorDay day = new SensorDay(rows, 16, 1);

    // Optional filters, for profiling one query of one format: query numbers from 1, format names' starts.
    List<String> onlyQueries = List.of(System.getProperty("bench.queries", "1,2,3").split(","));
    List<String> onlyFormats = List.of(System.getProperty("bench.formats", "").split(","));
    // A directory to write a JFR recording of each query's timed runs into (after its warm-up run), or none.
    Path profile = System.getProperty("bench.profile") == null ? null : Path.of(System.getProperty("bench.profile"));
    Map<String, Path> lazyq = new LinkedHashMap<>();
    lazyq.put("lazyq q8_0", write(day, dir, "q8_0", EncodingSpec.parse("q8_0", null)));
    lazyq.put("lazyq affine8", write(day, dir, "affine8", EncodingSpec.parse("affine8", null)));
    lazyq.put("lazyq error-bounded 0.01", write(day, dir, "eb", EncodingSpec.parse(null, "0.01")));
    lazyq.put("lazyq plain float32", write(day, dir, "plain", EncodingSpec.NONE));

    SparkSession spark = SparkSession.builder().master(master).appName("scan bench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Map<String, Path> all = new LinkedHashMap<>(lazyq);
    for (String codec : List.of("snappy", "zstd")) {
      all.put("parquet float32 " + codec, parquet(spark, lazyq.get("lazyq plain float32"), dir, rows, codec));
    }
    // Aggregates pushed into the scan: LazyQ's Q8_0 without them, and Parquet through Spark's V2 source
    // with its footer aggregates (MIN, MAX, COUNT; not SUM), which the V1 source above never pushes.
    all.put(PUSHDOWN_OFF, lazyq.get("lazyq q8_0"));
    all.put(PARQUET_V2, all.get("parquet float32 snappy"));
    spark.conf().set("spark.sql.parquet.aggregatePushdown", "true");
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Path> e : all.entrySet()) {
      if (onlyFormats.stream().noneMatch(e.getKey()::startsWith)) {
        continue;
      }
      String view = "t" + names.size();
      names.add(e.getKey());
      Dataset<Row> df;
      if (e.getKey().startsWith("lazyq")) {
        df = spark.read().format("lazyq").option("aggregatePushdown", String.valueOf(!e.getKey().equals(PUSHDOWN_OFF)))
            .load(e.getValue().toString());
      } else if (e.getKey().equals(PARQUET_V2)) {
        spark.conf().set("spark.sql.sources.useV1SourceList", "");
        df = spark.read().parquet(e.getValue().toString());
        spark.conf().unset("spark.sql.sources.useV1SourceList");
      } else {
        df = spark.read().parquet(e.getValue().toString());
      }
      df.createOrReplaceTempView(view);
    }
    ParquetBytes parquetBytes = new ParquetBytes(spark.sessionState().newHadoopConf());

    System.out.printf(Locale.ROOT, "%n%,d rows x 3 float channels, %s, best of %d, Java %s%n%n", rows, master, repeats,
        System.getProperty("java.version"));
    System.out.println("| query | format | M rows/s | vs Parquet snappy | M rows per CPU s | vs Parquet snappy, CPU"
        + " | bytes on disk | bytes read | heap peak MB |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    // One pass over every selected query and format first, so that the first format timed does not also
    // pay for the JIT compiling Spark's planner and execution.
    for (int qi = 0; qi < QUERIES.length; qi++) {
      for (int i = 0; i < names.size() && onlyQueries.contains(Integer.toString(qi + 1)); i++) {
        spark.sql(String.format(Locale.ROOT, QUERIES[qi], "t" + i)).collectAsList();
      }
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int qi = 0; qi < QUERIES.length; qi++) {
      if (!onlyQueries.contains(Integer.toString(qi + 1))) {
        continue;
      }
      String q = QUERIES[qi];
      double parquetRate = 0;
      double parquetCpuRate = 0;
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        String sql = String.format(Locale.ROOT, q, "t" + i);
        spark.sql(sql).collectAsList(); // warm-up: JIT, page cache
        Recording recording = profile == null ? null : profile(profile);
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        long heapPeak = 0;
        Dataset<Row> last = null;
        for (int r = 0; r < repeats; r++) {
          last = spark.sql(sql);
          System.gc();
          HeapWatch watch = HeapWatch.start();
          long cpu = os.getProcessCpuTime();
          long start = System.nanoTime();
          last.collectAsList();
          best = Math.min(best, (System.nanoTime() - start) / 1e9);
          bestCpu = Math.min(bestCpu, (os.getProcessCpuTime() - cpu) / 1e9);
          heapPeak = Math.max(heapPeak, watch.stop());
        }
        if (recording != null) {
          recording.dump(profile.resolve(String.format(Locale.ROOT, "q%d-%s.jfr", qi + 1, names.get(i).replace(' ', '_'))));
          recording.close();
        }
        double rate = rows / best / 1e6;
        double cpuRate = rows / bestCpu / 1e6;
        String name = names.get(i);
        if (name.equals("parquet float32 snappy")) {
          parquetRate = rate;
          parquetCpuRate = cpuRate;
        }
        long read = name.startsWith("lazyq")
            ? ScanMetrics.of(last).getOrDefault("bytesMapped", 0L) + ScanMetrics.of(last).getOrDefault("bytesStreamed", 0L)
            : parquetBytes.of(last);
        lines.add(String.format(Locale.ROOT, "| `%s` | %s | %.1f | %%s | %.1f | %%s | %,d | %,d | %d |",
            q.replace(" FROM %s", ""), name, rate, cpuRate, size(all.get(name)), read, heapPeak >> 20)
            + "\t" + rate + "\t" + cpuRate);
      }
      for (String line : lines) {
        String[] parts = line.split("\t");
        System.out.println(String.format(Locale.ROOT, parts[0], ratio(Double.parseDouble(parts[1]), parquetRate),
            ratio(Double.parseDouble(parts[2]), parquetCpuRate)));
      }
    }
    spark.stop();
  }

  /** A recording of the JVM's execution samples every 2 ms (the profile settings' default is 10 ms). */
  private static Recording profile(Path dir) throws IOException {
    Files.createDirectories(dir);
    try {
      Recording r = new Recording(Configuration.getConfiguration("profile"));
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
      r.start();
      return r;
    } catch (java.text.ParseException e) {
      throw new IOException(e);
    }
  }

  private static String ratio(double rate, double parquet) {
    return parquet == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", rate / parquet);
  }

  /** Writes (once) the sensor day with every channel encoded as {@code spec}. */
  static Path write(SensorDay day, Path dir, String name, EncodingSpec spec) throws IOException {
    Path p = dir.resolve(name + "-" + day.rows() + ".lzq");
    if (!Files.exists(p)) {
      Schema schema = spec.applyTo(SensorDay.schema());
      try (LzqWriter w = LzqWriter.create(p, schema, WriterOptions.DEFAULTS.withChunkRows(1 << 20))) {
        day.write(w, n -> { });
        w.commit();
      }
    }
    return p;
  }

  /** Writes (once) the plain LazyQ file {@code plain} of {@code rows} rows as Parquet, compressed by {@code codec}. */
  static Path parquet(SparkSession spark, Path plain, Path dir, long rows, String codec) {
    Path p = dir.resolve("parquet-" + codec + "-" + rows);
    if (!Files.exists(p)) {
      spark.read().format("lazyq").load(plain.toString()).write().option("compression", codec).parquet(p.toString());
    }
    return p;
  }

  private static long size(Path p) throws IOException {
    if (Files.isRegularFile(p)) {
      return Files.size(p);
    }
    try (Stream<Path> files = Files.walk(p)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /** Samples the heap in use every 5 ms while a query runs. */
  private static final class HeapWatch {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private HeapWatch() {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      thread = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-watch");
      thread.setDaemon(true);
    }

    static HeapWatch start() {
      HeapWatch w = new HeapWatch();
      w.thread.start();
      return w;
    }

    long stop() {
      running = false;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return peak.get();
    }
  }
}
