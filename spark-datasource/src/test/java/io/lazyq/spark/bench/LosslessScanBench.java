package io.lazyq.spark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A Spark scan of lossless LazyQ (the default) against the same data as plain float32
 * ({@code lossless=none}) that can tell the two apart on this shared machine: the scan sums every
 * float column of each {@code ../shared/realdata/*.csv.xz} over enough copies to read
 * {@code bench.scanRows} rows (5 M by default), each run planned afresh, in Spark {@code local[1]}, and counts the CPU time of
 * the threads that read (Spark's task threads and LazyQ's prefetch threads) only. The whole JVM's
 * CPU time, which earlier figures used, moved 2-7x between runs with the JIT compiler's and the
 * garbage collector's threads. The two files are queried in alternation ({@code bench.repeats}
 * rounds, 9 by default, each order reversed every other round) after warm-up rounds, and each is
 * reported as the median CPU ns a row with the least and most, and the median of the per-round
 * ratios lossless / plain with theirs; the first run of each, before the warm-up, is printed on
 * its own. {@code bench.datasets} (comma-separated prefixes of the files'
 * names) reads only those; {@code bench.lossless} (a {@code lossless} option's value, such as
 * {@code smallest}) writes the lossless file with that stage rather than the default.
 *
 * <p>The files are written once into {@code bench.work} (a temporary directory by default) and read
 * from there by later runs, so that builds before and after a change read the same bytes:
 *
 * <pre>
 * mvn -B -o -q -pl spark-datasource -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Dbench.work=/tmp/lossless-scan -cp spark-datasource/target/test-classes:spark-datasource/target/classes:connector/target/classes:arrow-bridge/target/classes:$(cat /tmp/cp.txt) \
 *   io.lazyq.spark.bench.LosslessScanBench
 * </pre>
 */
public final class LosslessScanBench {
  private LosslessScanBench() {}

  public static void main(String[] args) throws Exception {
    Path data = realData();
    String w = System.getProperty("bench.work");
    Path work = w != null ? Files.createDirectories(Path.of(w)) : Files.createTempDirectory("lazyq-lossless-scan");
    int repeats = Integer.getInteger("bench.repeats", 9);
    int warmup = Integer.getInteger("bench.warmup", 3);
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    List<String> table = new ArrayList<>();
    try (Stream<Path> files = Files.list(data)) {
      String only = System.getProperty("bench.datasets", "");
      for (Path xz : files.filter(p -> p.toString().endsWith(".csv.xz")).sorted().toList()) {
        if (!only.isEmpty() && Arrays.stream(only.split(",")).noneMatch(xz.getFileName().toString()::startsWith)) {
          continue;
        }
        table.add(dataset(spark, xz, work, repeats, warmup));
      }
    }
    System.out.println();
    System.out.println("| dataset | rows x copies | CPU ns/row lossless | CPU ns/row plain float32 | lossless / plain |");
    System.out.println("|---|---:|---:|---:|---:|");
    table.forEach(System.out::println);
    spark.stop();
  }

  private static String dataset(SparkSession spark, Path xz, Path work, int repeats, int warmup) throws Exception {
    String name = xz.getFileName().toString().replaceFirst("\\.csv\\.xz$", "");
    String stage = System.getProperty("bench.lossless", "");
    Path lossless = work.resolve(name + "-lossless" + (stage.isEmpty() ? "" : "-" + stage));
    Path plain = work.resolve(name + "-plain");
    if (!Files.isDirectory(lossless) || !Files.isDirectory(plain)) {
      write(spark, xz, work, name, lossless, plain, stage);
    }
    Dataset<Row> a = spark.read().format("lazyq").option("aggregatePushdown", "false").load(lossless.toString());
    List<String> floats = new ArrayList<>();
    for (StructField f : a.schema().fields()) {
      if (f.dataType().equals(DataTypes.FloatType)) {
        floats.add(f.name());
      }
    }
    long rows = a.count();
    int copies = (int) Math.max(1, Math.ceil(Long.getLong("bench.scanRows", 5_000_000L) / (double) rows));
    // Planned afresh for every run (ScanCpu.alternate says why).
    Supplier<Dataset<Row>> qa = () -> query(spark.read().format("lazyq").option("aggregatePushdown", "false").load(lossless.toString()), floats, copies);
    Supplier<Dataset<Row>> qb = () -> query(spark.read().format("lazyq").option("aggregatePushdown", "false").load(plain.toString()), floats, copies);
    // The first run of each, which also checks that both sum to the same values: its CPU time
    // includes what the kernels cost before they are compiled.
    double total = (double) rows * copies;
    ScanCpu.Run firstA = ScanCpu.run(qa);
    ScanCpu.Run firstB = ScanCpu.run(qb);
    if (!firstA.rows().equals(firstB.rows())) {
      throw new AssertionError(name + ": the lossless and the plain file sum to different values");
    }
    System.out.printf(Locale.ROOT, "%s first run: lossless %.2f  plain %.2f CPU ns/row%n", name,
        firstA.readingNanos() / total, firstB.readingNanos() / total);
    if (Boolean.getBoolean("bench.threads")) {
      ScanCpu.threads(qa.get());
    }
    double[] ta = new double[repeats];
    double[] tb = new double[repeats];
    double[] ratio = new double[repeats];
    ScanCpu.alternate(warmup, repeats, qa, qb, (i, ra, rb) -> {
      ta[i] = ra.readingNanos() / total;
      tb[i] = rb.readingNanos() / total;
      ratio[i] = ta[i] / tb[i];
      System.out.printf(Locale.ROOT, "%s round %d: lossless %.2f  plain %.2f CPU ns/row%n", name, i, ta[i], tb[i]);
    });
    String line = String.format(Locale.ROOT, "| %s | %,d x %d | %s | %s | %s |", name, rows, copies, ScanCpu.spread(ta, "%.1f"),
        ScanCpu.spread(tb, "%.1f"), ScanCpu.spread(ratio, "%.2f"));
    System.out.println(line);
    return line;
  }

  private static Dataset<Row> query(Dataset<Row> table, List<String> floats, int copies) {
    Dataset<Row> all = table;
    for (int i = 1; i < copies; i++) {
      all = all.union(table);
    }
    Column[] sums = floats.stream().map(functions::sum).toArray(Column[]::new);
    return all.agg(sums[0], Arrays.copyOfRange(sums, 1, sums.length));
  }

  /** Writes the dataset as LazyQ lossless and plain float32, float columns cast to float32 as a sensor pipeline stores them. */
  private static void write(SparkSession spark, Path xz, Path work, String name, Path lossless, Path plain, String stage)
      throws IOException, InterruptedException {
    Path csv = work.resolve(name + ".csv");
    Dataset<Row> df = RealDataBench.sensorFrame(spark, xz, csv).coalesce(1).cache();
    if (!Files.isDirectory(lossless)) {
      (stage.isEmpty() ? df.write() : df.write().option("lossless", stage)).format("lazyq").save(lossless.toString());
    }
    if (!Files.isDirectory(plain)) {
      df.write().format("lazyq").option("lossless", "none").save(plain.toString());
    }
    df.unpersist();
    Files.delete(csv);
  }

  /** {@code <project root>/../shared/realdata}. */
  private static Path realData() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("spark-datasource"))) {
        return p.resolveSibling("shared").resolve("realdata");
      }
    }
    throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
  }
}
