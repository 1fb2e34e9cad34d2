package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grouped aggregates pushed into the scan give, per key, what Spark's own aggregate over the
 * scan's rows gives and what a computation over the decoded files gives: bit for bit where the
 * scan is one partition. Strings are dictionary-encoded per chunk, with chunks that hold only some
 * of the keys, so that a key's group carries across dictionaries.
 */
class GroupedAggregatePushdownTest extends SparkTestBase {
  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("s", DataTypes.StringType, true)
      .add("i", DataTypes.IntegerType, true)
      .add("b", DataTypes.BooleanType, true)
      .add("t", DataTypes.TimestampType, true)
      .add("q8", DataTypes.FloatType, true)
      .add("f", DataTypes.FloatType, true)
      .add("d", DataTypes.DoubleType, true)
      .add("p", DataTypes.IntegerType, false);
  private static final String[] AGGREGATES = {"count(*)", "count(q8)", "sum(q8)", "min(q8)", "max(q8)", "avg(q8)",
      "sum(f)", "max(f)", "sum(d)", "min(d)", "sum(id)", "min(i)", "avg(i)", "count(s)"};
  private static final int ROWS = 6000;
  private static List<Row> rows;
  private static Path flat;
  private static Path partitioned;
  private static Path byDay;

  @BeforeAll
  static void write() {
    rows = rows(ROWS, 11);
    flat = dir.resolve("flat");
    partitioned = dir.resolve("partitioned");
    frame(rows).coalesce(1).write().format("lazyq").options(encodings()).save(flat.toString());
    frame(rows).repartition(3).write().format("lazyq").options(encodings()).partitionBy("p")
        .save(partitioned.toString());
    byDay = dir.resolve("by-day");
    frame(rows).withColumn("day", org.apache.spark.sql.functions.expr("date_add(DATE'2026-03-01', CAST(id % 4 AS INT))"))
        .repartition(2).write().format("lazyq").options(encodings()).partitionBy("day").save(byDay.toString());
  }

  @AfterEach
  void unsetPartitioning() {
    spark.conf().unset("spark.sql.files.minPartitionNum");
  }

  private static Map<String, String> encodings() {
    return Map.of("quantize", "q8=q8_0", "chunkRows", "700");
  }

  /**
   * Keys of a few values and nulls; the strings drift with the row, so that each chunk of 700 rows
   * holds a different subset of them; {@code q8} has nulls, {@code d} a NaN.
   */
  private static List<Row> rows(int n, long seed) {
    Random r = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String s = r.nextInt(13) == 0 ? null : "sensor-" + ((k / 500 + r.nextInt(4)) % 17);
      Integer i = r.nextInt(9) == 0 ? null : r.nextInt(5) - 2;
      Boolean b = k % 7 == 0 ? null : r.nextBoolean();
      java.sql.Timestamp t = k % 5 == 0 ? null : new java.sql.Timestamp(1_700_000_000_000L + 60_000L * r.nextInt(3));
      Float q8 = r.nextInt(11) == 0 ? null : (float) (r.nextGaussian() * 20);
      double d = k == 4321 ? Double.NaN : r.nextGaussian() * 1e4;
      out.add(RowFactory.create((long) k * 7 - 9000, s, i, b, t, q8, (float) r.nextGaussian(), d, k % 2));
    }
    return out;
  }

  private static Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA);
  }

  @Test
  void onePartitionIsBitExactWithSparkAndTheDecodedFile() throws IOException {
    spark.conf().set("spark.sql.files.minPartitionNum", "1");
    List<Row> pushed = pushedAndCompared(flat, new String[] {"s"}, true);
    // the same over the file read as a stream (no mapping: the strings are copies in the task's memory)
    assertEquals(pushed.toString(), pushedAndCompared(flat, new String[] {"s"}, true, "stream", "true").toString());
    Map<String, Row> expected = decodedByString(files(flat));
    try (LzqFile file = LzqFile.open(files(flat).get(0)); ColumnView s = file.column(0, file.schema().indexOf("s"))) {
      assertTrue(s.hasDictionary(), "the strings' chunks are dictionary-encoded: their keys are found per entry");
    }
    assertEquals(expected.size(), pushed.size());
    for (Row got : pushed) {
      Row want = expected.get(got.getString(0));
      assertEquals(want.toString(), got.toString(), "key " + got.get(0));
    }
  }

  @Test
  void everyKindOfKeyAndSeveralKeysAgreeWithSpark() {
    spark.conf().set("spark.sql.files.minPartitionNum", "1");
    for (String[] keys : new String[][] {{"i"}, {"b"}, {"t"}, {"id"}, {"s", "i"}, {"b", "s", "t"}}) {
      pushedAndCompared(flat, keys, true);
    }
  }

  /** Over several partitions a key's float sum merges partials in the order Spark receives them. */
  @Test
  void severalPartitionsAndAPartitionedTableAgreeWithSpark() {
    assertTrue(lazyq(flat).select("q8").rdd().getNumPartitions() >= 2);
    for (Path table : new Path[] {flat, partitioned}) {
      pushedAndCompared(table, new String[] {"s"}, false);
      pushedAndCompared(table, new String[] {"i", "b"}, false);
    }
  }

  /**
   * On HDFS (MiniDFSCluster) and S3 (s3proxy through S3A) as on a local directory: a partitioned
   * table read by range reads, its groups as Spark's own, every pooled buffer back (checked after
   * each test).
   */
  @ParameterizedTest
  @MethodSource("kinds")
  void everyStorageAgreesWithSpark(String kind) throws Exception {
    spark.conf().set("spark.sql.files.minPartitionNum", "1");
    String table = StorageServers.reach(kind, dir, spark).path("grouped");
    frame(rows).coalesce(2).write().format("lazyq").options(encodings()).partitionBy("p").save(table);
    pushedAndCompared(table, new String[] {"s"}, false);
    pushedAndCompared(table, new String[] {"p", "b"}, false);
  }

  static List<String> kinds() {
    return StorageServers.kinds();
  }

  /**
   * Real sensor data (NAB, ../shared/realdata: 45,626 readings of 9 sensors, as {@code lazyq
   * convert} stores them, float64 lossless): per sensor, the pushed group-by's count, sum, minimum
   * and maximum are those of the CSV's values in file order, bit for bit, and Spark's own.
   */
  @Test
  void realSensorsPerSensorAsTheCsvSays() throws Exception {
    spark.conf().set("spark.sql.files.minPartitionNum", "1");
    Path csv = dir.resolve("nab.csv");
    Process xz = new ProcessBuilder("xz", "-dc", realData().resolve("nab_real_sensors.csv.xz").toString())
        .redirectOutput(csv.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    assertEquals(0, xz.waitFor());
    Path lzq = dir.resolve("nab.lzq");
    assertEquals(0, io.lazyq.cli.LazyQ.run("convert", csv.toString(), lzq.toString()));
    Map<String, double[]> expected = new java.util.TreeMap<>(); // count, sum, min, max
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      double v = Double.parseDouble(cells[2]);
      double[] e = expected.computeIfAbsent(cells[1], k -> new double[] {0, 0, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY});
      e[0]++;
      e[1] += v;
      e[2] = Math.min(e[2], v);
      e[3] = Math.max(e[3], v);
    }
    assertEquals(9, expected.size(), expected.keySet().toString());
    String query = "SELECT sensor, count(*), sum(value), min(value), max(value) FROM %s GROUP BY sensor ORDER BY sensor";
    lazyq(lzq).createOrReplaceTempView("nab");
    lazyq(lzq, "aggregatePushdown", "false").createOrReplaceTempView("nab_spark");
    Dataset<Row> pushed = spark.sql(String.format(query, "nab"));
    assertTrue(plan(pushed).contains("PushedGroupBy: [sensor]"), plan(pushed));
    List<Row> got = pushed.collectAsList();
    assertEquals(spark.sql(String.format(query, "nab_spark")).collectAsList().toString(), got.toString());
    assertEquals(expected.size(), got.size());
    for (Row r : got) {
      double[] e = expected.get(r.getString(0));
      assertEquals((long) e[0], r.getLong(1), r.getString(0));
      assertEquals(e[1], r.getDouble(2), r.getString(0));
      assertEquals(e[2], r.getDouble(3), r.getString(0));
      assertEquals(e[3], r.getDouble(4), r.getString(0));
    }
  }

  /** {@code <project root>/../shared/realdata}. */
  private static Path realData() {
    Path data = LazyQOptionsTest.projectRoot().resolveSibling("shared").resolve("realdata");
    assertTrue(Files.isDirectory(data), "no real data at " + data);
    return data;
  }

  /**
   * Partition columns as keys, alone (one lookup per batch: the value is the file's) or with data
   * columns, an int and a date; with {@code count(*)} alone no data column is read.
   */
  @Test
  void partitionColumnsAsKeysAgreeWithSpark() {
    spark.conf().set("spark.sql.files.minPartitionNum", "1");
    pushedAndCompared(partitioned, new String[] {"p"}, false);
    pushedAndCompared(partitioned, new String[] {"s", "p"}, false);
    pushedAndCompared(byDay, new String[] {"day"}, false);
    pushedAndCompared(byDay, new String[] {"day", "b"}, false);
    Dataset<Row> counts = lazyq(byDay).groupBy("day").count();
    assertTrue(plan(counts).contains("PushedGroupBy: [day]"), plan(counts));
    Map<String, Long> expected = new java.util.TreeMap<>();
    for (Row r : rows) {
      expected.merge(java.time.LocalDate.of(2026, 3, 1).plusDays(r.getLong(0) % 4).toString(), 1L, Long::sum);
    }
    Map<String, Long> got = new java.util.TreeMap<>();
    for (Row r : counts.collectAsList()) {
      got.put(r.get(0).toString(), r.getLong(1));
    }
    assertEquals(expected, got);
  }

  /**
   * More distinct keys than a reader holds, each in both halves of its file: as strings in
   * dictionary-encoded chunks (8 rows a key in each half, 10,000 keys a chunk) and as strings stored
   * plain (one row a key in each half, 4,096-row batches whose bytes the next batch reuses): the reader hands its groups out and starts again,
   * its dictionary's entries found anew, and Spark merges a key's partials. Every key's count and
   * sum come out right, and the scan returned more rows than there are keys.
   */
  @Test
  void moreKeysThanAReaderHoldsAreHandedOutAndMerged() {
    spark.conf().set("spark.sql.files.minPartitionNum", "1");
    // 7 chunks of 80,000 rows a half, each cycling 8 times through 10,000 keys of its own, so that
    // rows after a hand-out in the middle of a chunk meet its earlier keys again
    assertTrue(70_000 > AggregateGroups.MAX_GROUPS);
    manyKeys("dictionary", 70_000, 16, r -> r % 560_000 / 80_000 * 10_000 + r % 10_000, "80000", true);
    int keys = AggregateGroups.MAX_GROUPS + 5000;
    manyKeys("plain", keys, 2, k -> k % keys, "400000", false);
  }

  /** {@code keys * perKey} rows, row {@code r} of key {@code key.applyAsInt(r)} and value {@code r}. */
  private static void manyKeys(String name, int keys, int perKey, java.util.function.IntUnaryOperator key,
      String chunkRows, boolean dictionary) {
    Path table = dir.resolve("many-" + name);
    int n = keys * perKey;
    StructType schema = new StructType().add("k", DataTypes.StringType, false).add("v", DataTypes.FloatType, false);
    List<Row> in = new ArrayList<>(n);
    long[] sums = new long[keys];
    for (int r = 0; r < n; r++) {
      int k = key.applyAsInt(r);
      in.add(RowFactory.create("key-" + k, (float) r));
      sums[k] += r;
    }
    spark.createDataFrame(in, schema).coalesce(1).write().format("lazyq").option("chunkRows", chunkRows)
        .save(table.toString());
    try (LzqFile file = LzqFile.open(files(table).get(0)); ColumnView k = file.column(0, 0)) {
      assertEquals(dictionary, k.hasDictionary(), name);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String previous = spark.conf().get("spark.sql.adaptive.enabled");
    spark.conf().set("spark.sql.adaptive.enabled", "false"); // so that the executed plan holds the scan's metrics
    try {
      Dataset<Row> df = lazyq(table).groupBy("k").agg(org.apache.spark.sql.functions.count("*"),
          org.apache.spark.sql.functions.sum("v"));
      assertTrue(plan(df).contains("PushedGroupBy: [k]"), plan(df));
      List<Row> got = df.collectAsList();
      assertEquals(keys, got.size(), name);
      for (Row r : got) {
        int k = Integer.parseInt(r.getString(0).substring(4));
        assertEquals((long) perKey, r.getLong(1), name + " key " + k);
        assertEquals((double) sums[k], r.getDouble(2), name + " key " + k);
      }
      long scanRows = 0;
      var leaves = df.queryExecution().executedPlan().collectLeaves();
      for (int i = 0; i < leaves.length(); i++) {
        scanRows += leaves.apply(i).metrics().apply("numOutputRows").value();
      }
      assertTrue(scanRows > keys, name + ": the scan handed out " + scanRows + " rows for " + keys + " keys");
    } finally {
      spark.conf().set("spark.sql.adaptive.enabled", previous);
    }
  }

  /** An empty table has no file: Spark plans LazyQ's empty scan, which takes no aggregate, and no group comes out. */
  @Test
  void anEmptyTableHasNoGroups() {
    Path table = dir.resolve("empty");
    frame(rows).where("id < -1e9").write().format("lazyq").options(encodings()).save(table.toString());
    for (boolean on : new boolean[] {true, false}) {
      Dataset<Row> df = lazyq(table, "aggregatePushdown", String.valueOf(on)).groupBy("s")
          .agg(org.apache.spark.sql.functions.count("*"), org.apache.spark.sql.functions.sum("q8"));
      assertEquals(0, df.collectAsList().size());
    }
  }

  /** Floating keys (Spark makes -0.0 and 0.0 one key), expressions, filters and distinct stay in Spark. */
  @Test
  void whatIsNotPushed() {
    String[] notPushed = {"SELECT f, count(*) FROM t GROUP BY f", "SELECT d, sum(q8) FROM t GROUP BY d",
        "SELECT i + 1, sum(q8) FROM t GROUP BY i + 1",
        "SELECT s, sum(q8) FROM t WHERE q8 > 0 GROUP BY s", "SELECT s, count(DISTINCT i) FROM t GROUP BY s"};
    lazyq(partitioned).createOrReplaceTempView("t");
    for (String q : notPushed) {
      assertFalse(plan(spark.sql(q)).contains("PushedAggregation"), q + ": " + plan(spark.sql(q)));
    }
    String pushed = plan(spark.sql("SELECT s, i, sum(q8) FROM t GROUP BY s, i"));
    assertTrue(pushed.contains("PushedAggregation: [SUM(q8)], PushedGroupBy: [s, i]"), pushed);
  }

  /**
   * Runs {@link #AGGREGATES} grouped by the keys with pushdown on (the plan saying so) and off, and
   * asserts the same rows, keys sorted; returns the pushed rows. Float sums and averages are
   * bit-exact in one partition, else within {@code 2^-40} of the key's sum of magnitudes (the merge
   * order of partials).
   */
  private static List<Row> pushedAndCompared(Path table, String[] keys, boolean bitExact, String... options) {
    return pushedAndCompared(table.toString(), keys, bitExact, options);
  }

  private static List<Row> pushedAndCompared(String table, String[] keys, boolean bitExact, String... options) {
    String groupBy = String.join(", ", keys);
    String query = "SELECT " + groupBy + ", " + String.join(", ", AGGREGATES) + " FROM %s GROUP BY " + groupBy;
    lazyq(table, Stream.concat(Stream.of(options), Stream.of("aggregatePushdown", "true")).toArray(String[]::new))
        .createOrReplaceTempView("pushed");
    lazyq(table, Stream.concat(Stream.of(options), Stream.of("aggregatePushdown", "false")).toArray(String[]::new))
        .createOrReplaceTempView("spark");
    Dataset<Row> pushedDf = spark.sql(String.format(query, "pushed"));
    Dataset<Row> sparkDf = spark.sql(String.format(query, "spark"));
    assertTrue(plan(pushedDf).contains("PushedGroupBy: [" + groupBy + "]"), plan(pushedDf));
    assertFalse(plan(sparkDf).contains("PushedAggregation"), plan(sparkDf));
    List<Row> pushed = sorted(pushedDf.collectAsList(), keys.length);
    List<Row> own = sorted(sparkDf.collectAsList(), keys.length);
    Map<String, Row> magnitudes = new LinkedHashMap<>();
    for (Row r : sorted(spark.sql("SELECT " + groupBy + ", sum(abs(q8)), sum(abs(f)), sum(abs(d)) FROM spark GROUP BY "
        + groupBy).collectAsList(), keys.length)) {
      magnitudes.put(key(r, keys.length), r);
    }
    assertEquals(own.size(), pushed.size(), groupBy);
    for (int g = 0; g < own.size(); g++) {
      Row want = own.get(g);
      Row got = pushed.get(g);
      assertEquals(key(want, keys.length), key(got, keys.length), groupBy);
      for (int a = 0; a < AGGREGATES.length; a++) {
        int c = keys.length + a;
        String name = AGGREGATES[a] + " by " + groupBy + " at " + key(want, keys.length);
        Object w = want.get(c);
        Object x = got.get(c);
        boolean floatSum = (AGGREGATES[a].startsWith("sum(") || AGGREGATES[a].startsWith("avg("))
            && !AGGREGATES[a].endsWith("(i)") && !AGGREGATES[a].endsWith("(id)");
        if (bitExact || !floatSum || !(w instanceof Double wd) || !(x instanceof Double xd) || Double.isNaN(wd)) {
          assertEquals(w, x, name);
          continue;
        }
        String column = AGGREGATES[a].substring(AGGREGATES[a].indexOf('(') + 1, AGGREGATES[a].length() - 1);
        Row m = magnitudes.get(key(want, keys.length));
        double abs = m.isNullAt(keys.length + List.of("q8", "f", "d").indexOf(column)) ? 0
            : m.getDouble(keys.length + List.of("q8", "f", "d").indexOf(column));
        assertTrue(Math.abs(wd - xd) <= abs * 0x1p-40, name + ": " + w + " vs " + x);
      }
    }
    return pushed;
  }

  private static List<Row> sorted(List<Row> rows, int keys) {
    List<Row> out = new ArrayList<>(rows);
    out.sort(Comparator.comparing(r -> key(r, keys)));
    return out;
  }

  private static String key(Row r, int keys) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < keys; k++) {
      b.append(r.get(k)).append('|');
    }
    return b.toString();
  }

  private static String plan(Dataset<Row> df) {
    return df.queryExecution().executedPlan().toString();
  }

  private static List<Path> files(Path table) throws IOException {
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(p -> p.toString().endsWith(".lzq")).sorted().toList();
    }
  }

  /**
   * {@link #AGGREGATES} by {@code s}, computed over the files' decoded values chunk by chunk in file
   * order, as Spark defines them: a sum adds doubles in row order from 0, MIN and MAX order NaN
   * above all numbers.
   */
  private static Map<String, Row> decodedByString(List<Path> files) throws IOException {
    Map<String, double[]> acc = new LinkedHashMap<>();
    Map<String, Object[]> extremes = new LinkedHashMap<>();
    for (Path f : files) {
      try (LzqFile file = LzqFile.open(f)) {
        int[] cols = Stream.of("s", "q8", "f", "d", "id", "i").mapToInt(c -> file.schema().indexOf(c)).toArray();
        for (int k = 0; k < file.index().chunks().size(); k++) {
          ColumnView[] v = new ColumnView[cols.length];
          try {
            for (int c = 0; c < cols.length; c++) {
              v[c] = file.column(k, cols[c]);
            }
            for (int r = 0; r < v[0].rows(); r++) {
              String s = v[0].isNull(r) ? null : v[0].getString(r);
              // count(*), count(q8), sum(q8), sum(f), sum(d), sum(id), count(i), sum(i), count(s)
              double[] a = acc.computeIfAbsent(s, x -> new double[9]);
              Object[] e = extremes.computeIfAbsent(s, x -> new Object[5]); // min q8, max q8, max f, min d, min i
              a[0]++;
              if (!v[1].isNull(r)) {
                float q = v[1].getFloat(r);
                a[1]++;
                a[2] += q;
                e[0] = e[0] == null || less(q, (Float) e[0]) ? (Object) q : e[0];
                e[1] = e[1] == null || less((Float) e[1], q) ? (Object) q : e[1];
              }
              float fv = v[2].getFloat(r);
              a[3] += fv;
              e[2] = e[2] == null || less((Float) e[2], fv) ? (Object) fv : e[2];
              double dv = v[3].getDouble(r);
              a[4] += dv;
              e[3] = e[3] == null || less(dv, (Double) e[3]) ? (Object) dv : e[3];
              a[5] += v[4].getLong(r);
              if (!v[5].isNull(r)) {
                int iv = v[5].getInt(r);
                a[6]++;
                a[7] += iv;
                e[4] = e[4] == null || iv < (Integer) e[4] ? (Object) iv : e[4];
              }
              a[8] += s == null ? 0 : 1;
            }
          } finally {
            for (ColumnView c : v) {
              if (c != null) {
                c.close();
              }
            }
          }
        }
      }
    }
    Map<String, Row> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> g : acc.entrySet()) {
      double[] a = g.getValue();
      Object[] e = extremes.get(g.getKey());
      out.put(g.getKey(), RowFactory.create(g.getKey(), (long) a[0], (long) a[1], a[1] == 0 ? null : a[2], e[0], e[1],
          a[1] == 0 ? null : a[2] / a[1], a[3], e[2], a[4], e[3], (long) a[5], e[4], a[6] == 0 ? null : a[7] / a[6],
          (long) a[8]));
    }
    return out;
  }

  private static boolean less(double a, double b) {
    return a < b || (Double.isNaN(b) && !Double.isNaN(a));
  }
}
