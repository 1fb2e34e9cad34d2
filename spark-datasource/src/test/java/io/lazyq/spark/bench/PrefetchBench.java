package io.lazyq.spark.bench;

import io.lazyq.format.EncodingSpec;
import io.lazyq.sample.SensorDay;
import io.lazyq.spark.ScanMetrics;
import io.lazyq.spark.metrics.ConsumerWait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Prefetch on against off, in one Spark session, on cold pages and on warm ones:
 * {@code mvn -pl spark-datasource -Pbench test-compile exec:exec -Dbench.main=io.lazyq.spark.bench.PrefetchBench
 * [-Dbench.rows=N] [-Dbench.repeats=N]}.
 *
 * <p>Cold means the page cache dropped before each run ({@code /proc/sys/vm/drop_caches}, which
 * needs root); where that is refused, the cold rows say so and only warm figures are printed. For
 * each setting it prints rows/s (median of the runs), the ratio to prefetch off on the same file
 * (for Parquet, to plain float32 without prefetch), and the tasks' summed wait for data
 * ({@code consumerWaitMs}); Parquet (snappy), written from the plain file, is read the same way as a peer.
 */
public final class PrefetchBench {
  private static final String QUERY = "SELECT sum(temperature), sum(pressure), sum(vibration) FROM %s";
  private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

  public static void main(String[] args) throws IOException {
    long rows = Long.getLong("bench.rows", 20_000_000L);
    String master = System.getProperty("bench.master", "local[2]");
    int repeats = Integer.getInteger("bench.repeats", 5);
    Path dir = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target/bench-scan")));
    SensorDay day = new SensorDay(rows, 16, 1);
    Path q8 = ScanBench.write(day, dir, "q8_0", EncodingSpec.parse("q8_0", null));
    Path plain = ScanBench.write(day, dir, "plain", EncodingSpec.NONE);

    SparkSession spark = SparkSession.builder().master(master).appName("prefetch bench")
        .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path parquet = dir.resolve("parquet-snappy-" + rows);
    if (!Files.exists(parquet)) {
      spark.read().format("lazyq").load(plain.toString()).write().option("compression", "snappy").parquet(parquet.toString());
    }
    Map<String, Dataset<Row>> settings = new LinkedHashMap<>();
    settings.put("q8_0, prefetch off", lazyq(spark, q8));
    settings.put("q8_0, prefetch=2 (pages)", lazyq(spark, q8, "prefetch", "2"));
    settings.put("q8_0, prefetch=2 + dequantize", lazyq(spark, q8, "prefetch", "2", "prefetchDequantize", "true"));
    settings.put("plain float32, prefetch off", lazyq(spark, plain));
    settings.put("plain float32, prefetch=2", lazyq(spark, plain, "prefetch", "2"));
    settings.put("parquet snappy (peer)", spark.read().parquet(parquet.toString()));

    boolean coldPermitted = dropCaches();
    System.out.printf(Locale.ROOT, "%n%,d rows, %s, `%s`, median of %d, q8_0 %,d bytes, plain %,d bytes, Java %s%n%n",
        rows, master, QUERY.replace(" FROM %s", ""), repeats, Files.size(q8), Files.size(plain),
        System.getProperty("java.version"));
    System.out.println("| pages | setting | M rows/s | vs prefetch off | consumer wait ms |");
    System.out.println("|---|---|---:|---:|---:|");
    for (boolean cold : new boolean[] {true, false}) {
      if (cold && !coldPermitted) {
        System.out.println("| cold | (not measured: dropping the page cache was refused) | | | |");
        continue;
      }
      double off = 0;
      int views = 0;
      for (Map.Entry<String, Dataset<Row>> e : settings.entrySet()) {
        String view = "v" + views++;
        e.getValue().createOrReplaceTempView(view);
        String sql = String.format(Locale.ROOT, QUERY, view);
        spark.sql(sql).collectAsList(); // JIT warm-up; and, for the warm runs, the page cache
        double[] seconds = new double[repeats];
        long[] waits = new long[repeats];
        for (int r = 0; r < repeats; r++) {
          if (cold) {
            dropCaches();
          }
          Dataset<Row> q = spark.sql(sql);
          long start = System.nanoTime();
          q.collectAsList();
          seconds[r] = (System.nanoTime() - start) / 1e9;
          waits[r] = ScanMetrics.of(q).getOrDefault(ConsumerWait.NAME, -1L);
        }
        double rate = rows / median(seconds) / 1e6;
        if (e.getKey().endsWith("prefetch off")) {
          off = rate;
        }
        long wait = (long) median(Arrays.stream(waits).asDoubleStream().toArray());
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.2fx | %s |%n", cold ? "cold" : "warm", e.getKey(), rate,
            rate / off, wait < 0 ? "-" : String.format(Locale.ROOT, "%,d", wait));
      }
    }
    spark.stop();
  }

  private static Dataset<Row> lazyq(SparkSession spark, Path file, String... options) {
    var reader = spark.read().format("lazyq");
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    return reader.load(file.toString());
  }

  /** Drops the page cache, as root can; false where the kernel refuses. */
  private static boolean dropCaches() {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
      Files.writeString(DROP_CACHES, "3");
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
