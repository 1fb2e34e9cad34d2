package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LazyQWriteTest extends SparkTestBase {
  static final StructType ALL_TYPES = new StructType()
      .add("i", DataTypes.IntegerType, false)
      .add("l", DataTypes.LongType)
      .add("f", DataTypes.FloatType)
      .add("q", DataTypes.FloatType)
      .add("e", DataTypes.FloatType)
      .add("d", DataTypes.DoubleType)
      .add("b", DataTypes.BooleanType)
      .add("s", DataTypes.StringType)
      .add("t", DataTypes.TimestampType)
      .add("ai", DataTypes.createArrayType(DataTypes.IntegerType, false))
      .add("al", DataTypes.createArrayType(DataTypes.LongType))
      .add("af", DataTypes.createArrayType(DataTypes.FloatType))
      .add("ad", DataTypes.createArrayType(DataTypes.DoubleType))
      .add("ab", DataTypes.createArrayType(DataTypes.BooleanType))
      .add("at", DataTypes.createArrayType(DataTypes.TimestampType));
  static final double E_BOUND = 1e-3;
  static final double AF_BOUND = 0.01;

  /** Rows with nulls in every nullable column, every seventh row; floats in [-1, 1) for q8_0. */
  static List<Row> allTypesRows(int n, long seed) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean nul = i % 7 == 3;
      int len = r.nextInt(5);
      Integer[] ai = new Integer[len];
      Long[] al = new Long[len];
      Float[] af = new Float[len];
      Double[] ad = new Double[len];
      Boolean[] ab = new Boolean[len];
      Timestamp[] at = new Timestamp[len];
      for (int j = 0; j < len; j++) {
        ai[j] = r.nextInt();
        al[j] = r.nextLong();
        af[j] = r.nextFloat() * 100;
        ad[j] = r.nextDouble();
        ab[j] = r.nextBoolean();
        at[j] = new Timestamp(1_700_000_000_000L + r.nextInt(1_000_000));
      }
      rows.add(RowFactory.create(i, nul ? null : r.nextLong(), nul ? null : (i % 50 == 0 ? Float.NaN : r.nextFloat()),
          nul ? null : r.nextFloat() * 2 - 1, nul ? null : 1013.25f + (float) r.nextGaussian(),
          nul ? null : r.nextDouble(), nul ? null : r.nextBoolean(), nul ? null : "s" + i + "é",
          nul ? null : new Timestamp(1_700_000_000_000L + i * 1000L), ai, nul ? null : List.of(al), nul ? null : List.of(af),
          nul ? null : List.of(ad), nul ? null : List.of(ab), nul ? null : List.of(at)));
    }
    return rows;
  }

  static Dataset<Row> frame(List<Row> rows, int partitions) {
    return spark.createDataFrame(rows, ALL_TYPES).repartition(partitions);
  }

  static List<Row> readSorted(String location) {
    return lazyq(location).orderBy("i").collectAsList();
  }

  /** On a local disk, HDFS and S3 alike. */
  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void everyTypeRoundTripsPlainExactQuantizedWithinBound(String kind) throws Exception {
    List<Row> rows = allTypesRows(3000, 1);
    String out = StorageServers.reach(kind, dir, spark).path("all-types");
    frame(rows, 3).write().format("lazyq").option("quantize", "q=q8_0").option("errorBound", "e=1e-3,af=0.01")
        .option("chunkRows", "256").save(out);

    Dataset<Row> back = lazyq(out);
    assertEquals(ALL_TYPES.fieldNames().length, back.schema().fields().length);
    for (int c = 0; c < ALL_TYPES.fields().length; c++) {
      // arrays read back as holding no null element, which the format guarantees
      assertEquals(ALL_TYPES.fields()[c].dataType().simpleString(), back.schema().fields()[c].dataType().simpleString(),
          ALL_TYPES.fields()[c].name());
    }
    List<Row> got = readSorted(out);
    assertEquals(rows.size(), got.size());
    double q8 = SensorTable.q8Bound(1.0);
    for (int i = 0; i < rows.size(); i++) {
      Row want = rows.get(i);
      Row have = got.get(i);
      for (int c = 0; c < ALL_TYPES.fields().length; c++) {
        String name = ALL_TYPES.fields()[c].name();
        Object w = want.get(c);
        assertEquals(w == null, have.isNullAt(c), name + " null of row " + i);
        if (w == null) {
          continue;
        }
        switch (name) {
          case "q" -> within((Float) w, have.getFloat(c), q8, name, i);
          case "e" -> within((Float) w, have.getFloat(c), E_BOUND, name, i);
          case "af" -> {
            @SuppressWarnings("unchecked")
            List<Float> wa = (List<Float>) w;
            List<Float> ha = have.getList(c);
            assertEquals(wa.size(), ha.size(), name + " of row " + i);
            for (int j = 0; j < wa.size(); j++) {
              within(wa.get(j), ha.get(j), AF_BOUND, name + "[" + j + "]", i);
            }
          }
          default -> assertEquals(w instanceof Object[] a1 ? List.of(a1) : w,
              ALL_TYPES.fields()[c].dataType() instanceof org.apache.spark.sql.types.ArrayType ? have.getList(c) : have.get(c),
              name + " of row " + i);
        }
      }
    }
  }

  private static void within(float want, float have, double bound, String column, int row) {
    assertTrue(Math.abs(want - have) <= bound, column + " of row " + row + ": " + want + " read as " + have);
  }

  /** On a local disk, HDFS and S3 alike. */
  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void saveModesBehaveAsFileSources(String kind) throws Exception {
    StorageServers.Target t = StorageServers.reach(kind, dir, spark);
    Storage storage = Storage.of(t.conf());
    String out = t.path("modes");
    frame(allTypesRows(100, 2), 2).write().format("lazyq").save(out);
    List<String> first = dataFiles(storage, out);
    List<String> log = logEntries(storage, out);

    LongAccumulator rowsSeen = spark.sparkContext().longAccumulator();
    Dataset<Row> second = counted(frame(allTypesRows(50, 3), 2), rowsSeen);
    Exception e = assertThrows(Exception.class, () -> second.write().format("lazyq").save(out));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    second.write().format("lazyq").mode(SaveMode.Ignore).save(out);
    assertEquals(0, rowsSeen.value(), "no task ran");
    assertEquals(first, dataFiles(storage, out));
    assertEquals(log, logEntries(storage, out), "no version committed");

    frame(allTypesRows(50, 3), 2).write().format("lazyq").mode(SaveMode.Append).save(out);
    assertEquals(150, lazyq(out).count());
    assertEquals(100L * 99 / 2 + 50L * 49 / 2, lazyq(out).selectExpr("sum(i)").first().getLong(0));
    frame(allTypesRows(30, 4), 3).write().format("lazyq").mode(SaveMode.Overwrite).save(out);
    assertEquals(30, lazyq(out).count());
    List<String> read = new io.lazyq.table.TableLog(out, storage).snapshot().files().stream().map(f -> f.path()).toList();
    assertEquals(3, read.size(), read.toString());
    assertTrue(read.stream().noneMatch(first::contains), "old files no longer read");
    assertTrue(dataFiles(storage, out).containsAll(first), "but kept for readers of earlier versions, until vacuum");
  }

  /** The rows, counted as a task reads them. */
  static Dataset<Row> counted(Dataset<Row> df, LongAccumulator seen) {
    UDF1<Integer, Integer> count = i -> {
      seen.add(1);
      return i;
    };
    return df.withColumn("i", functions.udf(count, DataTypes.IntegerType).asNonNullable().apply(df.col("i")));
  }

  @Test
  void badOptionsAndTypesFailBeforeAnyTask() {
    LongAccumulator rowsSeen = spark.sparkContext().longAccumulator();
    Dataset<Row> df = counted(frame(allTypesRows(20, 5), 2), rowsSeen);
    Path out = dir.resolve("bad");
    String[][] cases = {
        {"quantize", "l=q8_0", "column 'l' is int64"},
        {"quantize", "q=q9_9", "unknown quantized type 'q9_9'"},
        {"errorBound", "nope=0.1", "no column 'nope'"},
        {"chunkRows", "0", "chunkRows"},
        {"lossless", "gzip", "unknown lossless stage"},
        {"colour", "red", "unknown lazyq option 'colour'"},
    };
    for (String[] c : cases) {
      Exception e = assertThrows(Exception.class, () -> df.write().format("lazyq").option(c[0], c[1]).save(out.toString()));
      assertTrue(String.valueOf(e.getMessage()).contains(c[2]), c[0] + "=" + c[1] + ": " + e.getMessage());
    }
    Dataset<Row> map = df.withColumn("m", functions.map(functions.lit("k"), df.col("i")));
    Exception e = assertThrows(Exception.class, () -> map.write().format("lazyq").save(out.toString()));
    assertTrue(e.getMessage().contains("column 'm' of type map<string,int>"), e.getMessage());
    Dataset<Row> dec = df.withColumn("dec", functions.lit(new java.math.BigDecimal("1.5")));
    e = assertThrows(Exception.class, () -> dec.write().format("lazyq").save(out.toString()));
    assertTrue(e.getMessage().contains("column 'dec' of type decimal"), e.getMessage());
    assertEquals(0, rowsSeen.value(), "no task ran");
    assertFalse(Files.exists(out));
  }

  @Test
  void sqlCreateTableAsSelectAndInsertInto() {
    Path loc = dir.resolve("sql-table");
    spark.sql("CREATE TABLE sensors USING lazyq OPTIONS (quantize 'value=q8_0') LOCATION '" + loc + "'"
        + " AS SELECT id, CAST(sin(id / 10.0) AS FLOAT) AS value FROM range(1000)");
    spark.sql("INSERT INTO sensors SELECT id + 1000, CAST(sin((id + 1000) / 10.0) AS FLOAT) FROM range(500)");
    Result r = sql("SELECT count(*), max(abs(value - sin(id / 10.0))) FROM sensors");
    assertEquals(1500L, r.rows().get(0).getLong(0));
    assertTrue(r.rows().get(0).getDouble(1) <= SensorTable.q8Bound(1.0), "q8_0 error " + r.rows().get(0));
    assertTrue(lazyq(loc, "dequantize", "false").schema().apply("value").metadata().contains(SparkSchemas.QUANT));
    spark.sql("INSERT OVERWRITE sensors SELECT id, CAST(0 AS FLOAT) FROM range(10)");
    assertEquals(10L, sql("SELECT count(*) FROM sensors").rows().get(0).getLong(0));
    spark.sql("DROP TABLE sensors");
  }

  @Test
  void readersSeeOnlyWhatTheLogLists() throws Exception {
    Path out = dir.resolve("manifest");
    frame(allTypesRows(100, 8), 2).write().format("lazyq").save(out.toString());
    // a part file moved in by a job that was killed before committing its version
    Files.copy(out.resolve(dataFiles(out).get(0)), out.resolve("part-99999-orphan.lzq"));
    long orphanRows = lazyq(out.resolve("part-99999-orphan.lzq")).count();
    assertTrue(orphanRows > 0);
    assertEquals(100, lazyq(out).count());
    assertEquals(100, spark.read().format("lazyq").load(out + "/*.lzq").count());
    assertEquals(100, spark.read().format("lazyq").load(out + "/part-*").count());
    Path gone = out.resolve(dataFiles(out).get(0));
    Files.delete(gone);
    Exception e = assertThrows(Exception.class, () -> lazyq(out).count());
    assertTrue(e.getMessage().contains(gone + ": missing, though version 1 of the table " + out + " holds it"),
        e.getMessage());
  }

  /** The log's entries, by name. */
  static List<String> logEntries(Storage storage, String dir) throws Exception {
    return storage.list(Storage.resolve(dir, io.lazyq.table.TableLog.DIRECTORY)).stream().map(FileEntry::name).toList();
  }

  /** The names of a local table directory's files that are not hidden, sorted. */
  static List<String> dataFiles(Path dir) throws Exception {
    return dataFiles(Storage.of(new Configuration()), dir.toString());
  }

  static List<String> dataFiles(Storage storage, String dir) throws Exception {
    return storage.list(dir).stream().map(FileEntry::name).filter(n -> !n.startsWith("_") && !n.startsWith("."))
        .toList();
  }
}
