package io.lazyq.spark.bench;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.FooterCache;
import io.lazyq.format.LzqFile;
import io.lazyq.sample.SensorDay;
import io.lazyq.spark.ScanMetrics;
import io.lazyq.spark.StorageServers;
import io.lazyq.spark.metrics.BytesFetched;
import io.lazyq.spark.metrics.StorageRequests;
import io.lazyq.spark.metrics.StorageWait;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scans over S3 (s3proxy 4.0.0 on 127.0.0.1, reached through S3A 3.4.2): what one column of ten
 * costs in bytes and requests, counted by the scan's metrics and by the server; requests against
 * chunks and selected columns; {@code count(*)}; rows/s beside Spark's Parquet reader on the same
 * bucket; {@code prefetch} with a delay before every GET, as a distant store has; and peak RSS of a
 * scan in a child JVM under {@code -Xmx512m}, for a large object of sensor rows and one 8x smaller.
 *
 * <pre>
 * cd spark-datasource &amp;&amp; java -Xmx4g &lt;the root pom's lazyq.jvm.opens&gt; -cp &lt;test classpath&gt; \
 *   -Dbench.rows=4000000 -Dbench.repeats=2 -Dbench.memoryGiB=8 io.lazyq.spark.bench.RemoteScanBench
 * </pre>
 *
 * Properties: {@code bench.rows} (ten float columns), {@code bench.repeats}, {@code bench.delayMillis}
 * (the delay before each GET for the prefetch figures, default 20), {@code bench.memoryGiB} (stored
 * size of the large object of the memory figures, 0 to skip them); {@code bench.rows=0} skips the scans.
 */
public final class RemoteScanBench {
  private static final int COLUMNS = 10;
  private static final int FILES = 4;

  public static void main(String[] args) throws Exception {
    long rows = Long.getLong("bench.rows", 20_000_000L);
    int repeats = Integer.getInteger("bench.repeats", 3);
    long delay = Long.getLong("bench.delayMillis", 20);
    double memoryGiB = Double.parseDouble(System.getProperty("bench.memoryGiB", "0"));
    String master = System.getProperty("bench.master", "local[2]");
    Path scratch = Files.createTempDirectory("lazyq-remote-bench");
    StorageServers.Target s3 = StorageServers.target("s3a", scratch);

    SparkSession.Builder builder = SparkSession.builder().master(master).appName("remote scan bench")
        .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC");
    s3.hadoop().forEach((k, v) -> builder.config("spark.hadoop." + k, v));
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");

    if (rows > 0) {
      scans(spark, s3, rows, repeats, delay, master);
    }
    if (memoryGiB > 0) {
      memory(s3, memoryGiB);
    }
    spark.stop();
  }

  private static void scans(SparkSession spark, StorageServers.Target s3, long rows, int repeats, long delay,
      String master) throws Exception {
    String lazyq = s3.path("lazyq");
    String parquet = s3.path("parquet");
    long start = System.nanoTime();
    // Chunks of 250,000 rows: several per file, as a table of a few hundred megabytes per file has.
    table(spark, rows).write().format("lazyq").option("chunkRows", "250000").save(lazyq);
    double lazyqWrite = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    table(spark, rows).write().option("compression", "snappy").parquet(parquet);
    double parquetWrite = (System.nanoTime() - start) / 1e9;

    Stored stored = Stored.of(lazyq, s3);
    System.out.printf(Locale.ROOT, "%n%,d rows of %d random float32 columns in %d files on s3a:// (s3proxy 4.0.0 on"
        + " 127.0.0.1), %s, Java %s; written in %.1f s (lazyq), %.1f s (parquet snappy)%n", rows, COLUMNS, stored.files,
        master, System.getProperty("java.version"), lazyqWrite, parquetWrite);
    System.out.printf(Locale.ROOT, "lazyq: %,d bytes in %d chunks; column c3 %,d bytes; parquet %,d bytes%n%n",
        stored.fileBytes, stored.chunks, stored.c3Bytes, size(parquet, s3));

    System.out.println("| query | bytes fetched (metric) | requests (metric) | GETs (server) | bytes served (server) |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (int selected : new int[] {1, 5, COLUMNS}) {
      FooterCache.shared().clear();
      StorageServers.Served before = StorageServers.Served.now();
      Dataset<Row> q = lazyq(spark, lazyq).selectExpr(sums(selected));
      q.collectAsList();
      StorageServers.Served served = StorageServers.Served.now().minus(before);
      Map<String, Long> m = ScanMetrics.of(q);
      System.out.printf(Locale.ROOT, "| lazyq, %d of %d columns | %,d | %,d | %,d | %,d |%n", selected, COLUMNS,
          m.get(BytesFetched.NAME), m.get(StorageRequests.NAME), served.gets(), served.bytes());
    }
    StorageServers.Served before = StorageServers.Served.now();
    FooterCache.shared().clear();
    lazyq(spark, lazyq).count();
    StorageServers.Served cold = StorageServers.Served.now().minus(before);
    before = StorageServers.Served.now();
    lazyq(spark, lazyq).count();
    StorageServers.Served warm = StorageServers.Served.now().minus(before);
    System.out.printf(Locale.ROOT, "| lazyq, count(*), footers not yet read | 0 | 0 | %,d | %,d |%n", cold.gets(), cold.bytes());
    System.out.printf(Locale.ROOT, "| lazyq, count(*), footers in the executor's cache | 0 | 0 | %,d | %,d |%n",
        warm.gets(), warm.bytes());
    before = StorageServers.Served.now();
    spark.read().parquet(parquet).selectExpr(sums(1)).collectAsList();
    StorageServers.Served parquetOne = StorageServers.Served.now().minus(before);
    System.out.printf(Locale.ROOT, "| parquet, 1 of %d columns | | | %,d | %,d |%n", COLUMNS, parquetOne.gets(),
        parquetOne.bytes());

    System.out.printf(Locale.ROOT, "%n| query | lazyq M rows/s | parquet M rows/s | lazyq / parquet | lazyq CPU s"
        + " | parquet CPU s |%n|---|---:|---:|---:|---:|---:|%n");
    for (int selected : new int[] {1, COLUMNS}) {
      Timing l = time(repeats, () -> lazyq(spark, lazyq).selectExpr(sums(selected)).collectAsList());
      Timing p = time(repeats, () -> spark.read().parquet(parquet).selectExpr(sums(selected)).collectAsList());
      System.out.printf(Locale.ROOT, "| sum of %d column%s | %.1f | %.1f | %.2fx | %.1f | %.1f |%n", selected,
          selected == 1 ? "" : "s", rows / l.seconds / 1e6, rows / p.seconds / 1e6, p.seconds / l.seconds, l.cpu, p.cpu);
    }

    StorageServers.s3Delay(delay);
    System.out.printf(Locale.ROOT, "%nwith %d ms before every GET:%n%n| query | prefetch | M rows/s | vs off |"
        + " storage wait ms |%n|---|---:|---:|---:|---:|%n", delay);
    for (int selected : new int[] {1, COLUMNS}) {
      double off = 0;
      for (String prefetch : List.of("0", "2")) {
        long[] wait = new long[1];
        Timing t = time(repeats, () -> {
          Dataset<Row> q = lazyq(spark, lazyq, "prefetch", prefetch).selectExpr(sums(selected));
          q.collectAsList();
          wait[0] = ScanMetrics.of(q).getOrDefault(StorageWait.NAME, 0L);
        });
        double rate = rows / t.seconds / 1e6;
        off = prefetch.equals("0") ? rate : off;
        System.out.printf(Locale.ROOT, "| sum of %d column%s | %s | %.1f | %.2fx | %,d |%n", selected,
            selected == 1 ? "" : "s", prefetch, rate, rate / off, wait[0]);
      }
    }
    StorageServers.s3Delay(0);
  }

  /**
   * Peak RSS of a scan of every column in a child JVM under {@code -Xmx512m}: a large object of
   * {@code gib} GiB, and one 8x smaller, each one file of sensor rows ({@code ts}, {@code sensor},
   * three float channels, plain and without a lossless stage, so that the stored bytes are the bytes
   * a scan fetches) written locally and uploaded. The child's figures are its own {@code VmHWM}.
   */
  private static void memory(StorageServers.Target s3, double gib) throws Exception {
    System.out.printf(Locale.ROOT, "%n| object | stored bytes | scan s (child JVM, -Xmx512m) | peak RSS | heap committed"
        + " | direct buffers |%n|---|---:|---:|---:|---:|---:|%n");
    Path local = Files.createTempDirectory("lazyq-remote-memory");
    EncodingSpec stored = EncodingSpec.NONE.withLossless("none");
    long sampleRows = 1 << 20;
    Path sample = ScanBench.write(new SensorDay(sampleRows, 16, 1), Files.createDirectories(local.resolve("sample")),
        "plain", stored);
    double bytesPerRow = (double) Files.size(sample) / sampleRows;
    Files.delete(sample);
    long large = (long) (gib * (1L << 30) / bytesPerRow);
    for (long n : new long[] {large / 8, large}) {
      Path dir = Files.createDirectories(local.resolve("memory-" + n));
      Path file = ScanBench.write(new SensorDay(n, 16, 1), dir, "plain", stored);
      long bytes = Files.size(file);
      String path = StorageServers.copyOf(dir, s3);
      Files.delete(file);
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx512m"));
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
          command.add(a);
        }
      }
      s3.hadoop().forEach((k, v) -> command.add("-Dspark.hadoop." + k + "=" + v));
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScanInChild.class.getName(), path,
          Long.toString(n)));
      Path log = Files.createTempFile("lazyq-remote-scan-child", ".log");
      Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
      String out = new String(child.getInputStream().readAllBytes()).trim();
      int exit = child.waitFor();
      // The server keeps its objects on this machine's disk: 9 GiB of them for an 8 GiB run.
      StorageServers.fileSystem(s3).delete(new org.apache.hadoop.fs.Path(path), true);
      if (exit != 0) {
        throw new IllegalStateException("the scan in the child JVM failed: " + out + "; see " + log);
      }
      String[] figures = out.lines().reduce((x, y) -> y).orElse("").split(" ");
      System.out.printf(Locale.ROOT, "| %,d sensor rows | %,d | %s | %s MB | %s MB | %s MB |%n", n, bytes, figures[0],
          figures[1], figures[2], figures[3]);
    }
  }

  /** The child JVM: scans every column of a sensor table and prints its seconds and peak RSS in MB. */
  public static final class ScanInChild {
    public static void main(String[] args) throws Exception {
      SparkSession spark = SparkSession.builder().master("local[2]").appName("remote scan, memory")
          .config("spark.ui.enabled", "false").getOrCreate();
      spark.sparkContext().setLogLevel("ERROR");
      long start = System.nanoTime();
      Row r = spark.read().format("lazyq").load(args[0]).selectExpr("count(ts)", "count(sensor)", "sum(temperature)",
          "sum(pressure)", "sum(vibration)").first();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (r.getLong(0) != Long.parseLong(args[1])) {
        throw new IllegalStateException("counted " + r.getLong(0) + " rows of " + args[1]);
      }
      long hwmKb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
      // Where the memory is: the heap the JVM committed, and direct buffers (the pool's idle ones stay).
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20;
      long direct = ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
          .sum() >> 20;
      spark.stop();
      System.out.printf(Locale.ROOT, "%.1f %d %d %d%n", seconds, hwmKb / 1024, heap, direct);
    }
  }

  private static Dataset<Row> table(SparkSession spark, long rows) {
    String[] cols = new String[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
      cols[c] = "cast(rand(" + c + ") as float) as c" + c;
    }
    return spark.range(0, rows, 1, FILES).selectExpr(cols);
  }

  private static Dataset<Row> lazyq(SparkSession spark, String path, String... options) {
    var reader = spark.read().format("lazyq");
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    return reader.load(path);
  }

  private static String[] sums(int columns) {
    String[] s = new String[columns];
    for (int c = 0; c < columns; c++) {
      s[c] = "sum(c" + ((c + 3) % COLUMNS) + ")";
    }
    return s;
  }

  /** Wall seconds (median) and the process's CPU seconds (median) of a query run {@code repeats} times after one warm-up. */
  private record Timing(double seconds, double cpu) {}

  private interface Query {
    void run() throws Exception;
  }

  private static Timing time(int repeats, Query q) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    q.run();
    double[] wall = new double[repeats];
    double[] cpu = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      q.run();
      wall[r] = (System.nanoTime() - t0) / 1e9;
      cpu[r] = (os.getProcessCpuTime() - cpu0) / 1e9;
    }
    return new Timing(median(wall), median(cpu));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long size(String dir, StorageServers.Target s3) throws Exception {
    long total = 0;
    for (FileEntry f : Storage.of(s3.conf()).list(dir)) {
      total += f.directory() || f.name().startsWith("_") ? 0 : f.length();
    }
    return total;
  }

  /** The lazyq table's files, chunks and bytes, and those of its column c3, from the footers. */
  private record Stored(int files, int chunks, long fileBytes, long c3Bytes) {
    static Stored of(String dir, StorageServers.Target s3) throws Exception {
      Storage storage = Storage.of(s3.conf());
      int files = 0;
      int chunks = 0;
      long bytes = 0;
      long c3 = 0;
      for (FileEntry f : storage.list(dir)) {
        if (f.directory() || !f.name().endsWith(".lzq")) {
          continue;
        }
        files++;
        bytes += f.length();
        try (LzqFile lzq = LzqFile.open(storage.input(f.location(), f.length()), false)) {
          for (int k = 0; k < lzq.index().size(); k++) {
            c3 += lzq.index().chunk(k).column(3).length();
            chunks++;
          }
        }
      }
      return new Stored(files, chunks, bytes, c3);
    }
  }
}
