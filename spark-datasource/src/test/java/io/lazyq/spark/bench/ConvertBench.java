package io.lazyq.spark.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Parquet to LazyQ with error bounds on a sensor table of N rows (default 50 M), run in a JVM with
 * a small heap ({@code -Xmx512m}, local mode's driver memory): time, size ratio, the largest
 * absolute error over every value of each bounded column, and peak heap and RSS.
 *
 * <p>Values are a deterministic function of {@code ts}, so that the error is measured against the
 * exact source floats without a join.
 */
public final class ConvertBench {
  static final String VALUE = "CAST(1013.25 + 2 * sin(ts / 500.0) + (pmod(hash(ts), 1000) - 500) / 5000.0 AS FLOAT)";
  static final String VIB = "CAST(sin(ts / 3.0) * 4 + (pmod(hash(ts, 7), 2000) - 1000) / 1000.0 AS FLOAT)";
  static final String TEMP = "CAST(20 + pmod(ts, 86400) / 8640.0 AS FLOAT)";

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/lazyq-convert-bench");
    long rows = args.length > 1 ? Long.parseLong(args[1]) : 50_000_000L;
    SparkSession spark = SparkSession.builder().master("local[*]").config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path parquet = dir.resolve("sensors-" + rows + ".parquet");
    if (!Files.exists(parquet)) {
      spark.range(rows).selectExpr("id AS ts", "concat('s', pmod(id, 16)) AS sensor", VALUE.replace("ts", "id")
          + " AS value", VIB.replace("ts", "id") + " AS vib", TEMP.replace("ts", "id") + " AS temp")
          .write().parquet(parquet.toString());
    }
    Path out = dir.resolve("sensors-" + rows + "-lzq");
    HeapPeak.reset();
    long t0 = System.nanoTime();
    spark.read().parquet(parquet.toString()).write().format("lazyq").mode("overwrite")
        .option("errorBound", "value=0.001,vib=0.01,temp=0.01").option("chunkRows", "262144")
        .save(out.toString());
    double seconds = (System.nanoTime() - t0) / 1e9;
    long heapPeak = HeapPeak.peak();

    Row err = spark.read().format("lazyq").load(out.toString()).selectExpr("count(*)",
        "max(abs(value - " + VALUE + "))", "max(abs(vib - " + VIB + "))", "max(abs(temp - " + TEMP + "))").first();
    long pq = bytes(parquet);
    long lzq = bytes(out);
    System.out.printf("rows %,d (read back %,d), convert %.1f s, %.1f M rows/s%n", rows, err.getLong(0), seconds,
        rows / seconds / 1e6);
    System.out.printf("max abs error: value %.6g (bound 0.001), vib %.6g (bound 0.01), temp %.6g (bound 0.01)%n",
        err.getFloat(1), err.getFloat(2), err.getFloat(3));
    System.out.printf("parquet %,d bytes (%.2f B/row), lazyq %,d bytes (%.2f B/row), ratio parquet/lazyq %.2f%n", pq,
        (double) pq / rows, lzq, (double) lzq / rows, (double) pq / lzq);
    System.out.printf("max heap %d MiB, peak heap used during the conversion %d MiB, %s%n",
        Runtime.getRuntime().maxMemory() >> 20, heapPeak >> 20, vmHwm());
    spark.stop();
  }

  static long bytes(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  static String vmHwm() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
        .findFirst().orElse("VmHWM unknown").replaceAll("\\s+", " ");
  }

  /** Peak heap use, from the pools' peak usage, which the JVM tracks across collections. */
  static final class HeapPeak {
    static void reset() {
      System.gc();
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          p.resetPeakUsage();
        }
      }
    }

    static long peak() {
      long sum = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          sum += p.getPeakUsage().getUsed();
        }
      }
      return sum;
    }
  }
}
