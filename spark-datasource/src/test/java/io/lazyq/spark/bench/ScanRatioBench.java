package io.lazyq.spark.bench;

import io.lazyq.format.EncodingSpec;
import io.lazyq.sample.SensorDay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@link ScanBench}'s one-column sum and group-by, LazyQ q8_0 against Parquet float32 snappy
 * (Spark's V1 source) on the same sensor day, measured so that the ratio can be told apart from
 * this shared machine's noise: each run planned afresh, the two formats in alternation (the order
 * reversed every other round) after warm-up rounds, and per round both the CPU time of the reading
 * threads (Spark's task threads, LazyQ's prefetchers) and the whole JVM's; printed as the median
 * of the per-round ratios Parquet / LazyQ (above 1: LazyQ cheaper) with the least and most.
 *
 * <p>Every run's result is checked against Parquet's, which holds the exact float32 values: they
 * may differ only by q8_0's quantisation, bounded per value by each 32-value block's scale (the
 * block's largest magnitude / 127: half a step, and 127 times the scale's rounding to fp16) and
 * recomputed here from {@link SensorDay}'s values, plus the double sums' rounding.
 *
 * <pre>
 * mvn -B -o -q -pl spark-datasource -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * cd spark-datasource &amp;&amp; java -Xmx4g ${lazyq.jvm.opens} -Dlog4j2.configurationFile=src/launcher/log4j2.properties \
 *   [-Dbench.rows=20000000] [-Dbench.repeats=11] [-Dbench.warmup=3] [-Dbench.profile=dir] [-Dbench.queries=1,3] [-Dbench.split=true] \
 *   -cp target/test-classes:target/classes:../connector/target/classes:../arrow-bridge/target/classes:$(cat /tmp/cp.txt) \
 *   io.lazyq.spark.bench.ScanRatioBench
 * </pre>
 *
 * ({@code ${lazyq.jvm.opens}}: the root pom's property, its {@code --add-opens} and the vector module.
 * {@code bench.profile}: after the measured rounds, a JFR recording of 5 runs of each query and
 * format alone, execution samples every 2 ms; {@code bench.queries}: of {@link ScanBench#QUERIES}' numbers 1 and 3,
 * those to run; {@code bench.split}: {@link ScanCpu}'s JVM CPU by thread class.) The files are those of {@link ScanBench}, in
 * {@code bench.dir} ({@code target/bench-scan}), written on the first run.
 */
public final class ScanRatioBench {
  /** {@link ScanBench#QUERIES}' one-column sum and group-by. */
  private static final int[] QUERIES = {0, 2};
  /** Per value, at most this many q8_0 scales ({@code d}) from the value it stores; see {@link #bounds}. */
  private static final double STEPS = (0.5 + 127 * 0x1p-11) * (1 + 0x1p-8);
  private static final double U = 0x1p-53;

  private ScanRatioBench() {}

  public static void main(String[] args) throws IOException {
    long rows = Long.getLong("bench.rows", 20_000_000L);
    String master = System.getProperty("bench.master", "local[2]");
    int repeats = Integer.getInteger("bench.repeats", 11);
    int warmup = Integer.getInteger("bench.warmup", 3);
    Path dir = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target/bench-scan")));
    Path profile = System.getProperty("bench.profile") == null ? null : Path.of(System.getProperty("bench.profile"));
    SensorDay day = new SensorDay(rows, 16, 1);
    Path q8 = ScanBench.write(day, dir, "q8_0", EncodingSpec.parse("q8_0", null));
    Path plain = ScanBench.write(day, dir, "plain", EncodingSpec.NONE);
    Bounds bounds = bounds(day);

    SparkSession spark = SparkSession.builder().master(master).appName("scan ratio bench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path parquet = ScanBench.parquet(spark, plain, dir, rows, "snappy");
    System.out.printf(Locale.ROOT, "%n%,d rows, %s, %d warm-up and %d measured rounds, Java %s%n", rows, master, warmup,
        repeats, System.getProperty("java.version"));
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "%n| query | Parquet / LazyQ, task CPU | Parquet / LazyQ, JVM CPU | LazyQ M rows per task CPU s"
            + " | Parquet M rows per task CPU s | largest difference / its bound |%n|---|---:|---:|---:|---:|---:|%n"));
    for (int qi : QUERIES) {
      if (!System.getProperty("bench.queries", "1,3").contains(String.valueOf(qi + 1))) {
        continue;
      }
      String q = ScanBench.QUERIES[qi];
      Supplier<Dataset<Row>> lazyq = () -> query(spark, spark.read().format("lazyq").load(q8.toString()), q);
      Supplier<Dataset<Row>> pq = () -> query(spark, spark.read().parquet(parquet.toString()), q);
      double[] task = new double[repeats];
      double[] jvm = new double[repeats];
      double[] lazyqRate = new double[repeats];
      double[] parquetRate = new double[repeats];
      double[] worst = {check(qi, bounds, ScanCpu.run(lazyq), ScanCpu.run(pq))};
      ScanCpu.alternate(warmup, repeats, lazyq, pq, (i, a, b) -> {
        worst[0] = Math.max(worst[0], check(qi, bounds, a, b));
        task[i] = (double) b.readingNanos() / a.readingNanos();
        jvm[i] = (double) b.jvmNanos() / a.jvmNanos();
        lazyqRate[i] = rows * 1e3 / a.readingNanos();
        parquetRate[i] = rows * 1e3 / b.readingNanos();
        System.out.printf(Locale.ROOT, "q%d round %d: task CPU ms LazyQ %.0f Parquet %.0f (%.2fx), JVM CPU ms %.0f %.0f (%.2fx)%n",
            qi + 1, i, a.readingNanos() / 1e6, b.readingNanos() / 1e6, task[i], a.jvmNanos() / 1e6, b.jvmNanos() / 1e6, jvm[i]);
      });
      table.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | %.3f |%n", q.replace(" FROM %s", ""),
          ScanCpu.spread(task, "%.2fx"), ScanCpu.spread(jvm, "%.2fx"), ScanCpu.spread(lazyqRate, "%.1f"),
          ScanCpu.spread(parquetRate, "%.1f"), worst[0]));
      if (profile != null) {
        profile(profile, "q" + (qi + 1) + "-lazyq-q8_0", lazyq);
        profile(profile, "q" + (qi + 1) + "-parquet-snappy", pq);
      }
    }
    System.out.print(table);
    spark.stop();
  }

  private static Dataset<Row> query(SparkSession spark, Dataset<Row> table, String q) {
    table.createOrReplaceTempView("t");
    return spark.sql(String.format(Locale.ROOT, q, "t"));
  }

  /** Runs the query 5 times under a JFR recording of execution samples every 2 ms, written to {@code dir/name.jfr}. */
  private static void profile(Path dir, String name, Supplier<Dataset<Row>> query) throws IOException {
    Files.createDirectories(dir);
    try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
      r.start();
      for (int i = 0; i < 5; i++) {
        ScanCpu.run(query);
      }
      r.dump(dir.resolve(name + ".jfr"));
    } catch (java.text.ParseException e) {
      throw new IOException(e);
    }
  }

  /**
   * The largest difference between LazyQ's and Parquet's results over their bound (at most 1, or
   * this throws): the one-column sum, or per sensor the average and the maximum.
   */
  private static double check(int query, Bounds b, ScanCpu.Run lazyq, ScanCpu.Run parquet) {
    if (query == 0) {
      double bound = b.temperatureError.values().stream().mapToDouble(Double::doubleValue).sum()
          + 2 * b.rows * U * (b.temperatureAbs.values().stream().mapToDouble(Double::doubleValue).sum() + 1);
      return within("sum(temperature)", lazyq.rows().get(0).getDouble(0), parquet.rows().get(0).getDouble(0), bound);
    }
    Map<String, Row> p = new HashMap<>();
    parquet.rows().forEach(r -> p.put(r.getString(0), r));
    if (p.size() != lazyq.rows().size() || p.size() != b.count.size()) {
      throw new AssertionError("group-by: " + lazyq.rows().size() + " groups from LazyQ, " + p.size() + " from Parquet");
    }
    double worst = 0;
    for (Row l : lazyq.rows()) {
      String s = l.getString(0);
      Row r = p.get(s);
      long n = b.count.get(s);
      double sumBound = b.temperatureError.get(s) + 2 * n * U * (b.temperatureAbs.get(s) + 1);
      double avg = r.getDouble(1);
      worst = Math.max(worst, within(s + " avg(temperature)", l.getDouble(1), avg, sumBound / n + 4 * U * Math.abs(avg)));
      worst = Math.max(worst, within(s + " max(vibration)", l.getFloat(2), r.getFloat(2), b.vibrationMaxError.get(s)));
    }
    return worst;
  }

  private static double within(String what, double lazyq, double parquet, double bound) {
    double d = Math.abs(lazyq - parquet);
    if (!(d <= bound)) {
      throw new AssertionError(String.format(Locale.ROOT, "%s: LazyQ %s, Parquet %s, %s apart, bound %s", what, lazyq,
          parquet, d, bound));
    }
    return d / bound;
  }

  /** Per sensor: rows, the sum of temperature's per-value error bounds and of its magnitudes, vibration's largest bound. */
  private record Bounds(long rows, Map<String, Long> count, Map<String, Double> temperatureError,
      Map<String, Double> temperatureAbs, Map<String, Double> vibrationMaxError) {}

  /**
   * q8_0 stores each block of 32 values (a chunk's rows 32 at a time, in the file's order) as
   * {@code q * fp16(d)}, {@code d = max|x| / 127}, {@code q = round(x / d)}: a value is at most
   * {@code d / 2} from {@code q * d}, and {@code |q| <= 127} times the scale's rounding to fp16
   * (at most {@code d * 2^-11}) from {@code q * fp16(d)}; {@link #STEPS} adds 2^-8 of that for the
   * float arithmetic's roundings (each at most about 2^-24 of a value, that is {@code 127 * 2^-24 d}).
   */
  private static Bounds bounds(SensorDay day) {
    int sensors = day.sensors();
    long[] count = new long[sensors];
    double[] tErr = new double[sensors];
    double[] tAbs = new double[sensors];
    double[] vMax = new double[sensors];
    float[] t = new float[32];
    float[] v = new float[32];
    for (long from = 0; from < day.rows(); from += 32) {
      int n = (int) Math.min(32, day.rows() - from);
      float tMax = 0;
      float vAbs = 0;
      for (int j = 0; j < n; j++) {
        t[j] = day.temperature(from + j);
        v[j] = day.vibration(from + j);
        tMax = Math.max(tMax, Math.abs(t[j]));
        vAbs = Math.max(vAbs, Math.abs(v[j]));
      }
      double te = tMax / 127f * STEPS;
      double ve = vAbs / 127f * STEPS;
      for (int j = 0; j < n; j++) {
        int s = day.sensorOf(from + j);
        count[s]++;
        tErr[s] += te;
        tAbs[s] += Math.abs(t[j]);
        vMax[s] = Math.max(vMax[s], ve);
      }
    }
    Map<String, Long> c = new HashMap<>();
    Map<String, Double> te = new HashMap<>();
    Map<String, Double> ta = new HashMap<>();
    Map<String, Double> vm = new HashMap<>();
    for (int s = 0; s < sensors; s++) {
      String name = day.sensorName(s);
      c.put(name, count[s]);
      te.put(name, tErr[s]);
      ta.put(name, tAbs[s]);
      vm.put(name, vMax[s]);
    }
    return new Bounds(day.rows(), c, te, ta, vm);
  }
}
