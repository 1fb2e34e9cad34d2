package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Aggregates pushed into the scan give what Spark's own aggregate over the scan's rows gives, and
 * what a computation over the decoded files gives: bit for bit where the scan is one partition,
 * and for float sums over several partitions within the order-dependence of Spark's own merge.
 */
class AggregatePushdownTest extends SparkTestBase {
  private static final String[] COLUMNS = {"id", "i", "d", "f", "q8", "q4", "eb", "z", "nul"};
  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("i", DataTypes.IntegerType, true)
      .add("d", DataTypes.DoubleType, true)
      .add("f", DataTypes.FloatType, true)
      .add("q8", DataTypes.FloatType, true)
      .add("q4", DataTypes.FloatType, true)
      .add("eb", DataTypes.FloatType, true)
      .add("z", DataTypes.FloatType, true)
      .add("nul", DataTypes.FloatType, true)
      .add("p", DataTypes.IntegerType, false);
  private static final int ROWS = 5000;
  private static List<Row> rows;
  private static Path flat;
  private static Path partitioned;

  @BeforeAll
  static void write() {
    rows = rows(ROWS, 7);
    flat = dir.resolve("flat");
    partitioned = dir.resolve("partitioned");
    frame(rows).coalesce(1).write().format("lazyq").options(encodings()).save(flat.toString());
    frame(rows).repartition(2).write().format("lazyq").options(encodings()).partitionBy("p")
        .save(partitioned.toString());
  }

  @AfterEach
  void unsetPartitioning() {
    spark.conf().unset("spark.sql.files.minPartitionNum");
  }

  private static java.util.Map<String, String> encodings() {
    return java.util.Map.of("quantize", "q8=q8_0,q4=q4_0", "errorBound", "eb=0.01", "chunkRows", "700");
  }

  /**
   * Nulls in every nullable column, an all-null column, NaN in {@code d} and, where a minimum or
   * maximum would be ±0, {@code z}, whose statistics cannot give it.
   */
  private static List<Row> rows(int n, long seed) {
    Random r = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      boolean nul = r.nextInt(10) == 0;
      double d = k == 1234 ? Double.NaN : r.nextGaussian() * 1e3;
      float z = k % 2 == 0 ? -0.0f : 0.0f;
      out.add(RowFactory.create((long) k * 3 - 2000, nul ? null : r.nextInt(), nul ? null : d,
          nul ? null : (float) r.nextGaussian(), r.nextInt(7) == 0 ? null : (float) (r.nextGaussian() * 5),
          (float) (r.nextDouble() * 100 - 30), nul ? null : (float) (1000 + r.nextGaussian()),
          k % 11 == 0 ? null : z, null, k % 3));
    }
    return out;
  }

  private static Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** COUNT(*) and COUNT, MIN, MAX, SUM, AVG of every column. */
  private static String[] aggregates() {
    List<String> a = new ArrayList<>(List.of("count(*)"));
    for (String c : COLUMNS) {
      for (String f : new String[] {"count", "min", "max", "sum", "avg"}) {
        a.add(f + "(" + c + ")");
      }
    }
    return a.toArray(new String[0]);
  }

  @Test
  void onePartitionIsBitExactWithSparkAndTheDecodedFile() throws IOException {
    spark.conf().set("spark.sql.files.minPartitionNum", "1");
    Row pushed = pushedAndCompared(flat, aggregates(), 1);
    Row expected = decoded(files(flat));
    assertEquals(expected.toString(), pushed.toString());
    for (int i = 0; i < expected.length(); i++) {
      assertEquals(expected.get(i), pushed.get(i), aggregates()[i]);
    }
  }

  /**
   * Several partitions: each partition's partial sum has Spark's bits, and the merge of two is
   * exact in either order, so with two partitions the result equals Spark's own. Against the
   * decoded file's sequential sum, a float sum of P partials in another order differs by at most
   * {@code P * 2^-52 * sum |x|}.
   */
  @Test
  void severalPartitionsAgreeWithSparkAndWithinTheMergeOrderBoundOfTheFile() throws IOException {
    int partitions = lazyq(flat).select("q8").rdd().getNumPartitions();
    assertTrue(partitions >= 2, "partitions: " + partitions);
    Row pushed = pushedAndCompared(flat, aggregates(), -1);
    assertWithinMergeBound(decoded(files(flat)), pushed, files(flat), partitions);
  }

  @Test
  void aPartitionedTableAggregatesEveryFile() throws IOException {
    int partitions = lazyq(partitioned).rdd().getNumPartitions();
    Row pushed = pushedAndCompared(partitioned, aggregates(), -1);
    assertWithinMergeBound(decoded(files(partitioned)), pushed, files(partitioned), partitions);
  }

  /**
   * A filter Spark evaluates after the scan keeps the aggregate in Spark, statistics deciding the
   * filter or not: the answer is still that over the rows matching.
   */
  @Test
  void filtersKeepTheAggregateInSpark() {
    spark.conf().set("spark.sql.files.minPartitionNum", "1");
    String[] queries = {"id < 1000", "q8 > 0", "p = 1", "eb is null"};
    for (String where : queries) {
      for (boolean on : new boolean[] {true, false}) {
        Dataset<Row> df = lazyq(partitioned, "aggregatePushdown", String.valueOf(on)).where(where)
            .selectExpr("count(*)", "sum(id)", "min(id)", "max(id)", "count(i)");
        assertFalse(plan(df).contains("PushedAggregation"), where + ": " + plan(df));
        long count = 0;
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long ints = 0;
        for (Row r : frame(rows).where(where).collectAsList()) {
          count++;
          sum += r.getLong(0);
          min = Math.min(min, r.getLong(0));
          max = Math.max(max, r.getLong(0));
          ints += r.isNullAt(1) ? 0 : 1;
        }
        // q8 > 0 over the input is not over the decoded values: compare those with Spark's own plan
        Row got = df.first();
        if (!where.startsWith("q8")) {
          assertEquals(RowFactory.create(count, sum, min, max, ints).toString(), got.toString(), where);
        }
      }
    }
  }

  @Test
  void anOverwrittenTableAndItsVersions() throws IOException {
    Path table = dir.resolve("versions");
    frame(rows.subList(0, 3000)).coalesce(1).write().format("lazyq").options(encodings()).save(table.toString());
    frame(rows.subList(3000, 4000)).coalesce(1).write().format("lazyq").options(encodings()).mode(SaveMode.Overwrite)
        .save(table.toString());
    frame(rows.subList(4000, 4500)).coalesce(1).write().format("lazyq").options(encodings()).mode(SaveMode.Append)
        .save(table.toString());
    String[] ids = {"count(*)", "sum(id)", "min(id)", "max(id)", "count(i)", "sum(q8)", "count(nul)", "max(nul)"};
    int[][] versions = {{0, 3000}, {3000, 4000}, {3000, 4500}};
    for (int v = 0; v < versions.length; v++) {
      List<Row> in = rows.subList(versions[v][0], versions[v][1]);
      // version 0 creates the table; the first write is version 1
      Row pushed = pushedAndCompared(table, ids, -1, "versionAsOf", String.valueOf(v + 1));
      long sum = in.stream().mapToLong(r -> r.getLong(0)).sum();
      assertEquals((long) in.size(), pushed.getLong(0), "version " + v);
      assertEquals(sum, pushed.getLong(1), "version " + v);
      assertEquals(in.stream().mapToLong(r -> r.getLong(0)).min().getAsLong(), pushed.getLong(2));
      assertEquals(in.stream().mapToLong(r -> r.getLong(0)).max().getAsLong(), pushed.getLong(3));
      assertEquals(in.stream().filter(r -> !r.isNullAt(1)).count(), pushed.getLong(4));
      assertEquals(0L, pushed.getLong(6));
      assertNull(pushed.get(7));
    }
    Row latest = pushedAndCompared(table, ids, -1);
    assertEquals(1500L, latest.getLong(0));
  }

  @Test
  void anEmptyTable() {
    Path table = dir.resolve("empty");
    frame(rows).where("id < -1e9").write().format("lazyq").options(encodings()).save(table.toString());
    for (boolean on : new boolean[] {true, false}) {
      Row r = lazyq(table, "aggregatePushdown", String.valueOf(on))
          .selectExpr("count(*)", "count(q8)", "sum(q8)", "min(id)", "avg(f)").first();
      assertEquals(RowFactory.create(0L, 0L, null, null, null).toString(), r.toString());
    }
  }

  /**
   * A sum of longs that the statistics cannot prove to fit stays in Spark: there {@code try_sum}
   * gives null, ANSI mode fails and otherwise the sum wraps, and a scan, which sees a plain
   * {@code Sum} for all three, could not tell them apart. The same query over ints is pushed.
   */
  @Test
  void integralSumsThatMightOverflowStayInSpark() {
    Path table = dir.resolve("overflow");
    StructType schema = new StructType().add("big", DataTypes.LongType, true).add("small", DataTypes.LongType, true);
    spark.createDataFrame(List.of(RowFactory.create(Long.MAX_VALUE, 1L), RowFactory.create(1L, 2L),
        RowFactory.create(null, 3L)), schema).coalesce(1).write().format("lazyq").save(table.toString());
    Dataset<Row> trySum = lazyq(table).selectExpr("try_sum(big)");
    assertFalse(plan(trySum).contains("PushedAggregation"), plan(trySum));
    assertNull(trySum.first().get(0));
    String previous = spark.conf().get("spark.sql.ansi.enabled");
    try {
      spark.conf().set("spark.sql.ansi.enabled", "false");
      Dataset<Row> wrapped = lazyq(table).selectExpr("sum(big)", "count(*)");
      assertFalse(plan(wrapped).contains("PushedAggregation"), plan(wrapped));
      assertEquals(Long.MIN_VALUE, wrapped.first().getLong(0));
    } finally {
      spark.conf().set("spark.sql.ansi.enabled", previous);
    }
    Dataset<Row> fits = lazyq(table).selectExpr("sum(small)", "try_sum(small)");
    assertTrue(plan(fits).contains("PushedAggregation: [SUM(small)"), plan(fits));
    assertEquals(RowFactory.create(6L, 6L).toString(), fits.first().toString());
  }

  /**
   * The same over a partitioned table, where the builder has read one file's footer: the large
   * value is in another partition's file, and the sum still stays in Spark, grouped or not.
   */
  @Test
  void integralSumsOverEveryPartitionAreBounded() {
    Path table = dir.resolve("overflow-partitioned");
    StructType schema = new StructType().add("big", DataTypes.LongType, true).add("k", DataTypes.IntegerType, true)
        .add("part", DataTypes.IntegerType, false);
    spark.createDataFrame(List.of(RowFactory.create(1L, 1, 0), RowFactory.create(Long.MAX_VALUE, 1, 1),
        RowFactory.create(1L, 1, 1)), schema).write().format("lazyq").partitionBy("part").save(table.toString());
    for (String q : new String[] {"try_sum(big)", "k, try_sum(big)"}) {
      Dataset<Row> df = q.startsWith("k") ? lazyq(table).groupBy("k").agg(org.apache.spark.sql.functions.expr("try_sum(big)"))
          : lazyq(table).selectExpr(q);
      assertFalse(plan(df).contains("PushedAggregation"), q + ": " + plan(df));
      assertNull(df.first().get(q.startsWith("k") ? 1 : 0), q);
    }
    Dataset<Row> fits = lazyq(table).groupBy("part").agg(org.apache.spark.sql.functions.sum("k"));
    assertTrue(plan(fits).contains("PushedAggregation: [SUM(k)], PushedGroupBy: [part]"), plan(fits));
  }

  /** Pushdown off, a verifying scan, an expression over a column and a float key leave the aggregate to Spark. */
  @Test
  void whatIsNotPushed() {
    assertFalse(plan(lazyq(flat, "aggregatePushdown", "false").selectExpr("sum(q8)")).contains("PushedAggregation"));
    assertFalse(plan(lazyq(flat, "verify", "true").selectExpr("sum(q8)")).contains("PushedAggregation"));
    assertFalse(plan(lazyq(flat).selectExpr("sum(q8 + 1)")).contains("PushedAggregation"));
    assertFalse(plan(lazyq(flat).selectExpr("count(distinct i)")).contains("PushedAggregation"));
    // grouped by a float (GroupedAggregatePushdownTest groups by other columns)
    assertFalse(plan(lazyq(partitioned).groupBy("f").agg(org.apache.spark.sql.functions.sum("q8")))
        .contains("PushedAggregation"));
    String pushed = plan(lazyq(flat).selectExpr("sum(q8)", "count(*)"));
    assertTrue(pushed.contains("PushedAggregation: [SUM(q8), COUNT(*)]"), pushed);
  }

  /**
   * Runs the aggregates with pushdown on (checking the plan says so) and off, and asserts the same
   * row; returns it. Over more than two partitions Spark merges float sums in the order their
   * partials arrive, so there those are left to {@link #assertWithinMergeBound}.
   *
   * @param partitions the partitions the scan is expected to have, or -1 for any
   */
  private static Row pushedAndCompared(Path table, String[] aggregates, int partitions, String... options) {
    String[] on = Stream.concat(Stream.of(options), Stream.of("aggregatePushdown", "true")).toArray(String[]::new);
    String[] off = Stream.concat(Stream.of(options), Stream.of("aggregatePushdown", "false")).toArray(String[]::new);
    Dataset<Row> pushedDf = lazyq(table, on).selectExpr(aggregates);
    Dataset<Row> sparkDf = lazyq(table, off).selectExpr(aggregates);
    assertTrue(plan(pushedDf).contains("PushedAggregation"), plan(pushedDf));
    assertFalse(plan(sparkDf).contains("PushedAggregation"), plan(sparkDf));
    if (partitions > 0) {
      assertEquals(partitions, lazyq(table, off).select("q8").rdd().getNumPartitions());
    }
    int actual = lazyq(table, off).select("q8").rdd().getNumPartitions();
    Row pushed = pushedDf.first();
    Row own = sparkDf.first();
    for (int i = 0; i < aggregates.length; i++) {
      if (actual > 2 && isFloatSum(aggregates[i])) {
        continue;
      }
      assertSame(own.get(i), pushed.get(i), partitions == 1, aggregates[i]);
    }
    return pushed;
  }

  /**
   * Equal values; over several partitions -0.0 and 0.0 count as equal, since Spark's merge keeps
   * whichever partial arrives first.
   */
  private static void assertSame(Object expected, Object actual, boolean bits, String what) {
    if (!bits && expected instanceof Number e && actual instanceof Number a && e.doubleValue() == 0
        && a.doubleValue() == 0) {
      return;
    }
    assertEquals(expected, actual, what);
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
   * The aggregates of {@link #aggregates()} computed over the files' decoded values, chunk by
   * chunk in file order, as Spark defines them: a sum adds doubles in order from 0, MIN and MAX
   * order NaN above all and keep the first of equal values.
   */
  private static Row decoded(List<Path> files) throws IOException {
    List<Object> out = new ArrayList<>();
    long rowCount = 0;
    for (Path f : files) {
      try (LzqFile file = LzqFile.open(f)) {
        rowCount += file.rowCount();
      }
    }
    out.add(rowCount);
    for (String c : COLUMNS) {
      long count = 0;
      Object min = null;
      Object max = null;
      double dsum = 0;
      long lsum = 0;
      boolean integral = c.equals("id") || c.equals("i");
      for (Path f : files) {
        try (LzqFile file = LzqFile.open(f)) {
          int col = file.schema().indexOf(c);
          for (int k = 0; k < file.index().chunks().size(); k++) {
            try (ColumnView v = file.column(k, col)) {
              for (int r = 0; r < v.rows(); r++) {
                if (v.isNull(r)) {
                  continue;
                }
                Object x = switch (c) {
                  case "id" -> v.getLong(r);
                  case "i" -> v.getInt(r);
                  case "d" -> v.getDouble(r);
                  default -> v.getFloat(r);
                };
                double xd = ((Number) x).doubleValue();
                count++;
                if (integral) {
                  lsum += ((Number) x).longValue();
                } else {
                  dsum += xd;
                }
                if (min == null || less(xd, ((Number) min).doubleValue())) {
                  min = x;
                }
                if (max == null || less(((Number) max).doubleValue(), xd)) {
                  max = x;
                }
              }
            }
          }
        }
      }
      Object sum = count == 0 ? null : integral ? (Object) lsum : (Object) dsum;
      Object avg = count == 0 ? null : (integral ? (double) lsum : dsum) / count;
      out.addAll(java.util.Arrays.asList(count, min, max, sum, avg));
    }
    return RowFactory.create(out.toArray());
  }

  private static boolean less(double a, double b) {
    return a < b || (Double.isNaN(b) && !Double.isNaN(a));
  }

  /**
   * Every aggregate equal, but float sums and averages within {@code P * 2^-52 * sum |x|} of the
   * file's sequential sum: the bound on reordering the addition of P partial sums.
   */
  private static void assertWithinMergeBound(Row expected, Row pushed, List<Path> files, int partitions)
      throws IOException {
    String[] names = aggregates();
    for (int i = 0; i < names.length; i++) {
      String column = names[i].substring(names[i].indexOf('(') + 1, names[i].length() - 1);
      boolean floatSum = isFloatSum(names[i]) && expected.get(i) != null
          && !Double.isNaN((Double) expected.get(i));
      if (!floatSum) {
        assertSame(expected.get(i), pushed.get(i), false, names[i]);
        continue;
      }
      double abs = absoluteSum(files, column);
      long count = (Long) expected.get(i - (names[i].startsWith("sum") ? 3 : 4));
      double bound = partitions * Math.ulp(1.0) * abs / (names[i].startsWith("avg") ? count : 1);
      double diff = Math.abs((Double) expected.get(i) - (Double) pushed.get(i));
      assertTrue(diff <= bound, names[i] + ": " + expected.get(i) + " vs " + pushed.get(i) + ", bound " + bound);
    }
  }

  private static boolean isFloatSum(String aggregate) {
    String column = aggregate.substring(aggregate.indexOf('(') + 1, aggregate.length() - 1);
    return (aggregate.startsWith("sum") || aggregate.startsWith("avg")) && !column.equals("id") && !column.equals("i");
  }

  private static double absoluteSum(List<Path> files, String column) throws IOException {
    double abs = 0;
    for (Path f : files) {
      try (LzqFile file = LzqFile.open(f)) {
        int col = file.schema().indexOf(column);
        for (int k = 0; k < file.index().chunks().size(); k++) {
          try (ColumnView v = file.column(k, col)) {
            for (int r = 0; r < v.rows(); r++) {
              abs += v.isNull(r) ? 0 : Math.abs(column.equals("d") ? v.getDouble(r) : v.getFloat(r));
            }
          }
        }
      }
    }
    return abs;
  }
}
