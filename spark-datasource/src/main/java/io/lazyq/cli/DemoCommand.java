package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.quant.QuantType;
import io.lazyq.sample.SensorDay;
import io.lazyq.spark.ScanMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code lazyq demo}: a day of sensor data written quantized (error-bounded temperature and
 * pressure, q8_0 vibration), lossless with block encodings, and as Parquet float32 with snappy and
 * with zstd (sizes side by side), then the same questions asked with Spark of the quantized file
 * and the snappy one: per-sensor statistics, per-minute aggregates and anomaly windows. Prints the
 * answers, the bytes on disk and read, and the time of each; draws one sensor's vibration with its
 * anomalies. Bytes read: for LazyQ, the bytes mapped; for Parquet, the stored size of the selected
 * column chunks.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Writes a sensor day as LazyQ (quantized) and Parquet, answers questions with Spark on both,"
        + " and compares sizes, bytes read and times.")
public final class DemoCommand implements Callable<Integer> {
  static final String QUANTIZED = "sensors.lzq";
  static final String PLAIN = "sensors-plain.lzq";
  static final String PARQUET = "sensors.parquet";
  static final String LOSSLESS = "sensors-lossless.lzq";
  static final String PARQUET_ZSTD = "sensors-zstd.parquet";
  static final String CHART = "vibration.png";

  @Option(names = "--rows", defaultValue = "7000000",
      description = "Rows (each holds three channels); default ${DEFAULT-VALUE}, about 21 M samples.")
  long rows;

  @Option(names = "--out", defaultValue = "lazyq-demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--sensors", defaultValue = "16", description = "Sensors (default: ${DEFAULT-VALUE}).")
  int sensors;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Map<String, long[]> timings = new LinkedHashMap<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    Files.createDirectories(out);
    clean();
    SensorDay day = new SensorDay(rows, sensors, 1);
    long t0 = System.nanoTime();
    write(day, out.resolve(QUANTIZED), quantizedSchema());
    write(day, out.resolve(PLAIN), SensorDay.schema());
    write(day, out.resolve(LOSSLESS), EncodingSpec.NONE.applyTo(SensorDay.schema()));
    o.printf(Locale.ROOT, "generated %,d rows x 3 channels (%,d samples) from %d sensors in %.1f s%n", rows, rows * 3,
        sensors, seconds(t0));

    SparkSession spark = LocalSpark.start("lazyq demo");
    ParquetBytes parquetBytes = new ParquetBytes(spark.sessionState().newHadoopConf());
    long t1 = System.nanoTime();
    spark.read().format("lazyq").load(out.resolve(PLAIN).toString())
        .write().option("compression", "snappy").parquet(out.resolve(PARQUET).toString());
    o.printf(Locale.ROOT, "wrote Parquet (float32, snappy) through Spark in %.1f s%n", seconds(t1));
    long t2 = System.nanoTime();
    spark.read().parquet(out.resolve(PARQUET).toString())
        .write().option("compression", "zstd").parquet(out.resolve(PARQUET_ZSTD).toString());
    o.printf(Locale.ROOT, "wrote Parquet (float32, zstd) through Spark in %.1f s%n%n", seconds(t2));
    spark.read().format("lazyq").load(out.resolve(QUANTIZED).toString()).createOrReplaceTempView("lazyq");
    spark.read().parquet(out.resolve(PARQUET).toString()).createOrReplaceTempView("parquet");

    // Untimed: the first query of each reader pays for class loading and JIT compilation.
    for (String table : List.of("lazyq", "parquet")) {
      spark.sql("SELECT count(*), sum(temperature), sum(pressure), max(vibration), count(DISTINCT sensor) FROM "
          + table).collectAsList();
    }

    Map<String, String> questions = new LinkedHashMap<>();
    questions.put("per-sensor statistics", "SELECT sensor, count(*) AS n, round(avg(temperature), 3) AS avg_temp,"
        + " round(min(temperature), 2) AS min_temp, round(max(temperature), 2) AS max_temp,"
        + " round(avg(pressure), 2) AS avg_pres, round(stddev(vibration), 3) AS sd_vib"
        + " FROM %s GROUP BY sensor ORDER BY sensor");
    questions.put("per-minute aggregates", "SELECT sensor, date_trunc('MINUTE', ts) AS minute,"
        + " avg(temperature) AS temp, max(abs(vibration)) AS peak FROM %s GROUP BY 1, 2 ORDER BY 1, 2");
    questions.put("anomaly windows", anomalySql());

    List<Row> anomalies = null;
    for (Map.Entry<String, String> q : questions.entrySet()) {
      o.println("== " + q.getKey());
      List<Row> answer = null;
      for (String table : List.of("lazyq", "parquet")) {
        Dataset<Row> df = spark.sql(String.format(Locale.ROOT, q.getValue(), table));
        long start = System.nanoTime();
        List<Row> result = df.collectAsList();
        long nanos = System.nanoTime() - start;
        long read = table.equals("lazyq") ? ScanMetrics.of(df).getOrDefault("bytesMapped", 0L)
            : parquetBytes.of(df);
        timings.put(q.getKey() + " / " + table, new long[] {nanos, read});
        if (answer == null) {
          answer = result;
          ResultFormat.TABLE.print(df.schema(), result.subList(0, Math.min(8, result.size())), o);
          if (result.size() > 8) {
            o.printf("... %,d rows in all%n", result.size());
          }
        }
        o.printf(Locale.ROOT, "%-8s %8.2f s  %,14d bytes read  %,d rows%n", table, nanos / 1e9, read, result.size());
      }
      if (q.getKey().startsWith("anomaly")) {
        anomalies = answer;
      }
      o.println();
    }
    summary(day, anomalies, o);
    Path chart = VibrationChart.draw(spark, out.resolve(CHART), anomalies, day.sensorName(3));
    o.println("chart of " + day.sensorName(3) + ": " + chart);
    o.flush();
    return LazyQ.OK;
  }

  /**
   * Ten-second windows whose RMS vibration exceeds four times the sensor's median window RMS,
   * merged into runs of consecutive windows (gaps and islands).
   */
  private static String anomalySql() {
    return "WITH w AS (SELECT sensor, floor(unix_micros(ts) / " + SensorDay.WINDOW_MICROS + ") AS win,"
        + " sqrt(avg(vibration * vibration)) AS rms FROM %s GROUP BY 1, 2),"
        + " m AS (SELECT sensor, percentile_approx(rms, 0.5) AS median FROM w GROUP BY sensor),"
        + " hot AS (SELECT w.sensor, w.win, w.rms, w.win - row_number() OVER (PARTITION BY w.sensor ORDER BY w.win)"
        + " AS run FROM w JOIN m ON w.sensor = m.sensor WHERE w.rms > 4 * m.median)"
        + " SELECT sensor, timestamp_micros(min(win) * " + SensorDay.WINDOW_MICROS + ") AS start,"
        + " (max(win) - min(win) + 1) * " + SensorDay.WINDOW_MICROS / 1_000_000 + " AS seconds,"
        + " round(max(rms), 3) AS peak_rms FROM hot GROUP BY sensor, run ORDER BY sensor, start";
  }

  private void summary(SensorDay day, List<Row> anomalies, PrintWriter o) throws IOException {
    o.println("== sizes on disk");
    o.printf(Locale.ROOT, "%-40s %,14d bytes%n", "lazyq (error-bounded 0.01 blocks, q8_0)", size(out.resolve(QUANTIZED)));
    o.printf(Locale.ROOT, "%-40s %,14d bytes%n", "lazyq lossless (block encodings)", size(out.resolve(LOSSLESS)));
    o.printf(Locale.ROOT, "%-40s %,14d bytes%n", "lazyq plain float32", size(out.resolve(PLAIN)));
    o.printf(Locale.ROOT, "%-40s %,14d bytes%n", "parquet float32 snappy", size(out.resolve(PARQUET)));
    o.printf(Locale.ROOT, "%-40s %,14d bytes%n", "parquet float32 zstd", size(out.resolve(PARQUET_ZSTD)));
    o.println();
    o.println("== time and bytes read per question");
    for (Map.Entry<String, long[]> t : timings.entrySet()) {
      o.printf(Locale.ROOT, "%-34s %8.2f s %,14d bytes%n", t.getKey(), t.getValue()[0] / 1e9, t.getValue()[1]);
    }
    long truth = 0;
    for (long r = 0; r < day.rows(); r += sensors) {
      for (int s = 0; s < sensors && r + s < day.rows(); s++) {
        if (day.isAnomalous(r + s) && (r + s < sensors || !day.isAnomalous(r + s - sensors))) {
          truth++;
        }
      }
    }
    o.printf(Locale.ROOT, "%nanomaly windows found: %d (the generator injected %d runs)%n",
        anomalies == null ? 0 : anomalies.size(), truth);
  }

  /** Error-bounded temperature and pressure and Q8_0 vibration, with the default lossless stage. */
  private static Schema quantizedSchema() {
    return EncodingSpec.parse("vibration=q8_0", "temperature=0.01,pressure=0.01").applyTo(SensorDay.schema());
  }

  private static void write(SensorDay day, Path path, Schema schema) throws IOException {
    try (LzqWriter w = LzqWriter.create(path, schema, WriterOptions.DEFAULTS.withChunkRows(1 << 18))) {
      day.write(w, rowsSoFar -> { });
      w.commit();
    }
  }

  /** Removes only what this command writes, so that a second run starts clean. */
  private void clean() throws IOException {
    for (String name : List.of(QUANTIZED, PLAIN, LOSSLESS, PARQUET, PARQUET_ZSTD, CHART)) {
      Path p = out.resolve(name);
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      } else {
        Files.deleteIfExists(p);
      }
    }
  }

  private static long size(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
