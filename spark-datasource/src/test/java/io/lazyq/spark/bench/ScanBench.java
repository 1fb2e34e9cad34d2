package io.lazyq.spark.bench;

import io.lazyq.spark.ScanMetrics;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scan throughput, LazyQ against Parquet, one session, warm page cache:
 * {@code ScanBench <dir from lazyq demo> [master] [repeats]}.
 */
public final class ScanBench {
  public static void main(String[] args) {
    String dir = args[0];
    SparkSession spark = SparkSession.builder().master(args.length > 1 ? args[1] : "local[2]")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    spark.read().format("lazyq").load(dir + "/sensors.lzq").createOrReplaceTempView("lzq_q");
    spark.read().format("lazyq").load(dir + "/sensors-plain.lzq").createOrReplaceTempView("lzq_p");
    spark.read().parquet(dir + "/sensors.parquet").createOrReplaceTempView("pq");
    long rows = spark.table("pq").count();
    String[] queries = {
        "SELECT sum(vibration) FROM %s",
        "SELECT sum(temperature) FROM %s",
        "SELECT max(ts), count(sensor) FROM %s",
        "SELECT sensor, avg(temperature), max(vibration) FROM %s GROUP BY sensor"};
    for (String q : queries) {
      for (String t : new String[] {"lzq_q", "lzq_p", "pq"}) {
        double best = Double.MAX_VALUE;
        Dataset<Row> df = null;
        for (int i = 0; i < repeats; i++) {
          df = spark.sql(String.format(q, t));
          long start = System.nanoTime();
          df.collectAsList();
          best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%-70s %-6s %7.3f s %8.1f M rows/s %s%n", String.format(q, t), t, best,
            rows / best / 1e6, t.startsWith("lzq") ? ScanMetrics.of(df) : "");
      }
    }
    spark.stop();
  }
}
