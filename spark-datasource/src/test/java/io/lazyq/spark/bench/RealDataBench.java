package io.lazyq.spark.bench;

import io.lazyq.format.ColumnChunk;
import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Sizes on real sensor data: every {@code ../shared/realdata/*.csv.xz} beside the project root is
 * read by Spark's CSV reader (types inferred, float columns cast to float32 as a sensor pipeline
 * stores them) and written in one session, one file each, as Parquet snappy, Parquet zstd, LazyQ
 * lossless (the default), LazyQ lossless with lightweight encodings only ({@code lossless=lightweight}:
 * no zstd frame, no stream), LazyQ lossless with derived columns ({@code lossless=smallest}), and
 * LazyQ error-bounded at 1e-3 and 1e-2 on every float column.
 *
 * <p>Prints bytes per value per column and per file, each as a ratio to Parquet zstd; checks every
 * value of every LazyQ file against the source (bit-exact lossless, within the bound otherwise);
 * and measures single-thread decode of the float columns (GB/s of float32 output, reading alone
 * and with the column's opening, which maps the column, checks its CRC32C and block table and decompresses a stream's frame),
 * of the default and of the lightweight file, and a Spark scan that sums
 * every float column over enough copies of the data to read {@code bench.scanRows} rows (10 M by
 * default), in M rows/s of wall time and in CPU nanoseconds per row of the whole JVM, of both
 * beside the same data written as plain float32 ({@code lossless=none}) and as Parquet zstd.
 *
 * <p>{@code mvn -pl spark-datasource -Pbench test-compile exec:exec -Dbench.main=io.lazyq.spark.bench.RealDataBench}
 */
public final class RealDataBench {
  private static final String[] VARIANTS = {"parquet snappy", "parquet zstd", "lazyq lossless", "lazyq lightweight",
      "lazyq smallest", "lazyq 1e-3", "lazyq 1e-2"};

  public static void main(String[] args) throws Exception {
    Path data = realData();
    Path work = Files.createTempDirectory("lazyq-realdata-bench");
    int repeats = Integer.getInteger("bench.repeats", 3);
    SparkSession spark = SparkSession.builder().master(System.getProperty("bench.master", "local[2]"))
        .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    List<String> summary = new ArrayList<>();
    try (Stream<Path> files = Files.list(data)) {
      for (Path xz : files.filter(p -> p.toString().endsWith(".csv.xz")).sorted().toList()) {
        summary.add(dataset(spark, xz, work, repeats));
      }
    }
    System.out.println();
    System.out.println("| dataset | rows x float columns | snappy | lazyq lossless | lazyq lightweight | lazyq smallest"
        + " | lazyq 1e-3 | lazyq 1e-2 | decode GB/s read / open+read: lossless | lightweight | smallest"
        + " | scan M rows/s: lossless / lightweight / smallest / plain / parquet zstd"
        + " | scan CPU ns/row: lossless / lightweight / smallest / plain / parquet zstd |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    summary.forEach(System.out::println);
    spark.stop();
  }

  /**
   * A dataset of {@code ../shared/realdata}, decompressed to {@code csv} (which must stay until the
   * frame is read), with its float columns cast to float32 as a sensor pipeline stores them.
   */
  static Dataset<Row> sensorFrame(SparkSession spark, Path xz, Path csv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("xz", "-dc", xz.toString()).redirectOutput(csv.toFile()).start();
    if (p.waitFor() != 0) {
      throw new IOException("xz -dc " + xz + " failed");
    }
    Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString());
    List<Column> cols = new ArrayList<>();
    for (StructField f : raw.schema().fields()) {
      Column c = functions.col(f.name());
      if (f.dataType().equals(DataTypes.DoubleType)) {
        c = c.cast(DataTypes.FloatType);
      } else if (f.dataType().equals(DataTypes.TimestampNTZType)) {
        c = c.cast(DataTypes.TimestampType);
      }
      cols.add(c.as(f.name()));
    }
    return raw.select(cols.toArray(Column[]::new));
  }

  private static String dataset(SparkSession spark, Path xz, Path work, int repeats) throws Exception {
    String name = xz.getFileName().toString().replaceFirst("\\.csv\\.xz$", "");
    Path csv = work.resolve(name + ".csv");
    Dataset<Row> df = sensorFrame(spark, xz, csv).coalesce(1).cache();
    List<String> floats = Arrays.stream(df.schema().fields()).filter(f -> f.dataType().equals(DataTypes.FloatType))
        .map(StructField::name).toList();
    long rows = df.count();
    List<Row> source = df.collectAsList();
    String bounds1 = floats.stream().map(f -> f + "=0.001").collect(Collectors.joining(","));
    String bounds2 = floats.stream().map(f -> f + "=0.01").collect(Collectors.joining(","));

    Map<String, Path> out = new LinkedHashMap<>();
    for (String v : VARIANTS) {
      out.put(v, work.resolve(name + "-" + v.replace(' ', '-')));
    }
    df.write().option("compression", "snappy").parquet(out.get("parquet snappy").toString());
    df.write().option("compression", "zstd").parquet(out.get("parquet zstd").toString());
    df.write().format("lazyq").save(out.get("lazyq lossless").toString());
    df.write().format("lazyq").option("lossless", "lightweight").save(out.get("lazyq lightweight").toString());
    df.write().format("lazyq").option("lossless", "smallest").save(out.get("lazyq smallest").toString());
    df.write().format("lazyq").option("errorBound", bounds1).save(out.get("lazyq 1e-3").toString());
    df.write().format("lazyq").option("errorBound", bounds2).save(out.get("lazyq 1e-2").toString());
    Path plain = work.resolve(name + "-lazyq-plain");
    df.write().format("lazyq").option("lossless", "none").save(plain.toString());

    Map<String, Map<String, Long>> bytes = new LinkedHashMap<>();
    for (String v : VARIANTS) {
      bytes.put(v, v.startsWith("parquet") ? parquetColumns(out.get(v)) : lazyqColumns(out.get(v)));
    }
    verify(out.get("lazyq lossless"), source, 0);
    verify(out.get("lazyq lightweight"), source, 0);
    verify(out.get("lazyq smallest"), source, 0);
    verify(out.get("lazyq 1e-3"), source, 1e-3);
    verify(out.get("lazyq 1e-2"), source, 1e-2);

    System.out.printf("%n%s: %,d rows, float columns %s%n", name, rows, floats);
    System.out.printf("%-16s", "bytes/value");
    for (String v : VARIANTS) {
      System.out.printf(" %22s", v);
    }
    System.out.println();
    List<String> columns = new ArrayList<>(bytes.get("parquet zstd").keySet());
    for (String c : columns) {
      System.out.printf("%-16s", c);
      double zstd = value(bytes.get("parquet zstd"), c, rows);
      for (String v : VARIANTS) {
        double b = value(bytes.get(v), c, rows);
        System.out.printf(" %13.3f (%5.2fx)", b, b / zstd);
      }
      System.out.println();
    }
    double[] gbs = decodeGbPerSecond(out.get("lazyq lossless"), repeats);
    double[] lightGbs = decodeGbPerSecond(out.get("lazyq lightweight"), repeats);
    double[] smallGbs = decodeGbPerSecond(out.get("lazyq smallest"), repeats);
    int copies = (int) Math.max(1, Math.ceil(Long.getLong("bench.scanRows", 10_000_000L) / (double) rows));
    double[] lazyqScan = scan(spark.read().format("lazyq").option("aggregatePushdown", "false").load(out.get("lazyq lossless").toString()), floats, rows, copies, repeats);
    double[] lightScan = scan(spark.read().format("lazyq").option("aggregatePushdown", "false").load(out.get("lazyq lightweight").toString()), floats, rows, copies, repeats);
    double[] smallScan = scan(spark.read().format("lazyq").option("aggregatePushdown", "false").load(out.get("lazyq smallest").toString()), floats, rows, copies, repeats);
    double[] plainScan = scan(spark.read().format("lazyq").option("aggregatePushdown", "false").load(plain.toString()), floats, rows, copies, repeats);
    double[] parquetScan = scan(spark.read().parquet(out.get("parquet zstd").toString()), floats, rows, copies, repeats);
    System.out.printf("decode of the float columns, one thread: %.2f GB/s of float32 per CPU second reading, %.2f with the"
        + " columns' opening; lightweight %.2f, %.2f; smallest %.2f, %.2f%n", gbs[0], gbs[1], lightGbs[0], lightGbs[1],
        smallGbs[0], smallGbs[1]);
    System.out.printf("scan (sum of every float column) of %d copies, %.1f M rows, median of %d: lazyq lossless %.2f M rows/s"
        + " (%.0f CPU ns/row, %.0f-%.0f), lazyq lightweight %.2f (%.0f, %.0f-%.0f), lazyq smallest %.2f (%.0f, %.0f-%.0f),"
        + " lazyq plain float32 %.2f (%.0f, %.0f-%.0f), parquet zstd %.2f (%.0f, %.0f-%.0f)%n", copies, copies * rows / 1e6,
        repeats, lazyqScan[0], lazyqScan[1], lazyqScan[2], lazyqScan[3], lightScan[0], lightScan[1], lightScan[2], lightScan[3],
        smallScan[0], smallScan[1], smallScan[2], smallScan[3], plainScan[0], plainScan[1], plainScan[2], plainScan[3], parquetScan[0], parquetScan[1], parquetScan[2], parquetScan[3]);
    df.unpersist();
    double zstdFile = value(bytes.get("parquet zstd"), "(file)", rows);
    return String.format(Locale.ROOT, "| %s | %,d x %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f | %.2f / %.2f"
        + " | %.2f / %.2f | %.2f / %.2f / %.2f / %.2f / %.2f | %.0f / %.0f / %.0f / %.0f / %.0f |",
        name, rows, floats.size(),
        value(bytes.get("parquet snappy"), "(file)", rows) / zstdFile, value(bytes.get("lazyq lossless"), "(file)", rows) / zstdFile,
        value(bytes.get("lazyq lightweight"), "(file)", rows) / zstdFile,
        value(bytes.get("lazyq smallest"), "(file)", rows) / zstdFile,
        value(bytes.get("lazyq 1e-3"), "(file)", rows) / zstdFile, value(bytes.get("lazyq 1e-2"), "(file)", rows) / zstdFile,
        gbs[0], gbs[1], lightGbs[0], lightGbs[1], smallGbs[0], smallGbs[1], lazyqScan[0], lightScan[0], smallScan[0],
        plainScan[0], parquetScan[0], lazyqScan[1], lightScan[1], smallScan[1], plainScan[1], parquetScan[1]);
  }

  private static double value(Map<String, Long> m, String column, long rows) {
    return m.getOrDefault(column, 0L) / (double) rows;
  }

  /** Compressed bytes per column from the footers, and the data files' total as "(file)". */
  private static Map<String, Long> parquetColumns(Path dir) throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    long total = 0;
    for (Path f : dataFiles(dir, ".parquet")) {
      total += Files.size(f);
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
        for (BlockMetaData block : r.getFooter().getBlocks()) {
          for (ColumnChunkMetaData c : block.getColumns()) {
            m.merge(c.getPath().toDotString(), c.getTotalSize(), Long::sum);
          }
        }
      }
    }
    m.put("(file)", total);
    return m;
  }

  /** Stored bytes per column from the index, and the data files' total as "(file)". */
  private static Map<String, Long> lazyqColumns(Path dir) throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    long total = 0;
    for (Path f : dataFiles(dir, ".lzq")) {
      total += Files.size(f);
      try (LzqFile file = LzqFile.open(f)) {
        for (int c = 0; c < file.schema().size(); c++) {
          m.merge(file.schema().field(c).name(), file.index().columnBytes(c), Long::sum);
        }
      }
    }
    m.put("(file)", total);
    return m;
  }

  /** Every float value of the written file against the source rows, in order: bit-exact for a bound of 0. */
  private static void verify(Path dir, List<Row> source, double bound) throws IOException {
    long row = 0;
    for (Path f : dataFiles(dir, ".lzq")) {
      try (LzqFile file = LzqFile.open(f)) {
        for (int k = 0; k < file.index().size(); k++) {
          int n = file.index().chunk(k).rows();
          for (int c = 0; c < file.schema().size(); c++) {
            Field field = file.schema().field(c);
            if (!field.type().equals(ColumnType.FLOAT32)) {
              continue;
            }
            try (ColumnView view = file.column(k, c)) {
              float[] got = new float[n];
              view.readFloats(0, n, got, 0);
              for (int r = 0; r < n; r++) {
                Row s = source.get((int) (row + r));
                int at = s.fieldIndex(field.name());
                if (s.isNullAt(at) != view.isNull(r)) {
                  throw new AssertionError(dir + " row " + (row + r) + " " + field.name() + ": nullness differs");
                }
                if (s.isNullAt(at)) {
                  continue;
                }
                float x = s.getFloat(at);
                boolean ok = bound == 0 ? Float.floatToRawIntBits(x) == Float.floatToRawIntBits(got[r])
                    : Math.abs((double) x - got[r]) <= bound;
                if (!ok) {
                  throw new AssertionError(dir + " row " + (row + r) + " " + field.name() + ": " + x + " read as " + got[r]);
                }
              }
            }
          }
          row += n;
        }
      }
    }
    if (row != source.size()) {
      throw new AssertionError(dir + " holds " + row + " rows, the source " + source.size());
    }
  }

  /**
   * Decodes every float column of every chunk, one thread, in batches of 4096; best of the
   * repeats, per second of this thread's CPU time, so that other processes on a loaded machine
   * count less than they do in wall time: reading alone, and with each column's opening.
   */
  private static double[] decodeGbPerSecond(Path dir, int repeats) throws IOException {
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    float[] batch = new float[4096];
    double[] best = new double[2];
    // Enough passes to decode about 20 M values, so that the JIT has compiled the decoders before
    // the best pass: on the 45,626 rows of NAB, 8 passes measured a third of the warm rate.
    long perPass = 0;
    for (Path f : dataFiles(dir, ".lzq")) {
      try (LzqFile file = LzqFile.open(f)) {
        for (int c = 0; c < file.schema().size(); c++) {
          perPass += file.schema().field(c).type().equals(ColumnType.FLOAT32) ? file.index().rowCount() : 0;
        }
      }
    }
    long passes = Math.max(repeats + 5, 20_000_000L / Math.max(1, perPass));
    for (int rep = 0; rep < passes; rep++) {
      long values = 0;
      long nanos = 0;
      long reading = 0;
      for (Path f : dataFiles(dir, ".lzq")) {
        try (LzqFile file = LzqFile.open(f)) {
          for (int k = 0; k < file.index().size(); k++) {
            int n = file.index().chunk(k).rows();
            for (int c = 0; c < file.schema().size(); c++) {
              if (!file.schema().field(c).type().equals(ColumnType.FLOAT32)) {
                continue;
              }
              long t0 = cpu.getCurrentThreadCpuTime();
              try (ColumnView view = file.column(k, c)) {
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int at = 0; at < n; at += batch.length) {
                  view.readFloats(at, Math.min(batch.length, n - at), batch, 0);
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                reading += t2 - t1;
                nanos += t2 - t0;
              }
              values += n;
            }
          }
        }
      }
      best[0] = Math.max(best[0], 4.0 * values / reading);
      best[1] = Math.max(best[1], 4.0 * values / nanos);
    }
    return best;
  }

  /**
   * Sums every float column of {@code copies} unions of the table, so that a query reads enough
   * rows for Spark's per-query overhead not to be what is measured: the median M rows/s of wall
   * time and the median CPU nanoseconds per row of the whole JVM (the local executors' threads, the
   * driver's and the garbage collector's), after a warm-up query; then the least and most CPU per row.
   * Each repeat plans its query afresh: a second {@code collect()} of the same Dataset reuses the
   * shuffle stage adaptive execution materialised the first time, and so measured only the final
   * aggregation (1.2-3.3 ns a row). The LazyQ tables are read with aggregate pushdown off, so that
   * every repeat measures the scan rather than sums taken inside it.
   */
  private static double[] scan(Dataset<Row> table, List<String> floats, long rows, int copies, int repeats) {
    Dataset<Row> all = table;
    for (int i = 1; i < copies; i++) {
      all = all.union(table);
    }
    Column[] sums = floats.stream().map(f -> functions.sum(f)).toArray(Column[]::new);
    Dataset<Row> union = all;
    Supplier<Dataset<Row>> query =
        () -> union.agg(sums[0], Arrays.copyOfRange(sums, 1, sums.length));
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    double[] rates = new double[repeats];
    double[] cpu = new double[repeats];
    query.get().collect();
    for (int i = 0; i < repeats; i++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      query.get().collect();
      long wall = System.nanoTime() - t0;
      rates[i] = copies * rows / (wall / 1e3);
      cpu[i] = (os.getProcessCpuTime() - c0) / (double) (copies * rows);
    }
    Arrays.sort(rates);
    Arrays.sort(cpu);
    return new double[] {rates[repeats / 2], cpu[repeats / 2], cpu[0], cpu[repeats - 1]};
  }

  private static List<Path> dataFiles(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(suffix) && !f.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
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
