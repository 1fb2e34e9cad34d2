package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.LzqFile;
import io.lazyq.format.SampleTables;
import io.lazyq.spark.metrics.BlocksDequantized;
import io.lazyq.spark.metrics.BytesMapped;
import io.lazyq.spark.metrics.ChunksSkipped;
import io.lazyq.spark.metrics.ConsumerWait;
import io.lazyq.storage.MappingStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LazyQReadTest extends SparkTestBase {
  static final int ROWS = 20_000;
  static SensorTable table;
  static Path sensors;

  @BeforeAll
  static void writeSensors() throws Exception {
    table = new SensorTable(ROWS, 42);
    sensors = table.write(dir.resolve("sensors.lzq"), 2000);
    lazyq(sensors).createOrReplaceTempView("sensors");
  }

  @Test
  void everyTypeReadsAsWritten() throws Exception {
    Path file = dir.resolve("all.lzq");
    List<Object[]> expected = SampleTables.allTypesRows(3000, 7);
    SampleTables.write(file, SampleTables.allTypes(), expected, 700, 1000);
    for (String[] options : new String[][] {{}, {"stream", "true"}, {"batchRows", "8"}}) {
      lazyq(file, options).createOrReplaceTempView("all_types");
      List<Row> rows = sql("SELECT i32, i64, f32, f64, flag, name, unix_micros(ts), window, counts, bits"
          + " FROM all_types").rows();
      assertEquals(expected.size(), rows.size());
      for (int r = 0; r < rows.size(); r++) {
        Object[] e = expected.get(r);
        Row a = rows.get(r);
        for (int c = 0; c < 7; c++) {
          assertEquals(e[c], a.get(c), "row " + r + " column " + c + " " + String.join(",", options));
        }
        assertArrayEquals((float[]) e[7], a.isNullAt(7) ? null : floats(a.getList(7)), "window of row " + r);
        assertArrayEquals((long[]) e[8], a.isNullAt(8) ? null : a.<Long>getList(8).stream().mapToLong(x -> x).toArray());
        if (e[9] == null) {
          assertNull(a.get(9));
        } else {
          List<Boolean> bits = a.getList(9);
          for (int i = 0; i < bits.size(); i++) {
            assertEquals(((boolean[]) e[9])[i], bits.get(i));
          }
          assertEquals(((boolean[]) e[9]).length, bits.size());
        }
      }
      // The same columns through Spark's generated aggregation, which reads the vectors by row and type.
      Row sums = sql("SELECT sum(i32), sum(shiftright(i64, 16)), sum(f64), count(f32), count(ts), max(unix_micros(ts)),"
          + " count(name), sum(octet_length(name)) FROM all_types").rows().get(0);
      assertEquals(expected.stream().filter(e -> e[0] != null).mapToLong(e -> (Integer) e[0]).sum(), sums.getLong(0));
      assertEquals(expected.stream().filter(e -> e[1] != null).mapToLong(e -> (Long) e[1] >> 16).sum(), sums.getLong(1));
      assertEquals(expected.stream().filter(e -> e[3] != null).mapToDouble(e -> (Double) e[3]).sum(), sums.getDouble(2),
          1e-6 * expected.size());
      assertEquals(expected.stream().filter(e -> e[2] != null).count(), sums.getLong(3));
      assertEquals(expected.stream().filter(e -> e[6] != null).count(), sums.getLong(4));
      assertEquals(expected.stream().filter(e -> e[6] != null).mapToLong(e -> (Long) e[6]).max().orElseThrow(),
          sums.getLong(5));
      assertEquals(expected.stream().filter(e -> e[5] != null).count(), sums.getLong(6));
      assertEquals(expected.stream().filter(e -> e[5] != null)
          .mapToLong(e -> ((String) e[5]).getBytes(StandardCharsets.UTF_8).length).sum(), sums.getLong(7));
    }
  }

  @Test
  void projectionOfQuantizedColumnsIsWithinTheirBounds() {
    List<Row> rows = sql("SELECT unix_micros(ts), value, vib, window FROM sensors").rows();
    assertEquals(ROWS, rows.size());
    double vibBound = SensorTable.q8Bound(maxAbs(table.vib));
    for (int i = 0; i < ROWS; i++) {
      Row r = rows.get(i);
      assertEquals(table.ts[i], r.getLong(0));
      assertEquals(table.value[i], r.getFloat(1), SensorTable.VALUE_BOUND * 1.0001, "value " + i);
      assertEquals(table.vib[i], r.getFloat(2), vibBound, "vib " + i);
      float[] w = floats(r.getList(3));
      assertEquals(table.window[i].length, w.length);
      for (int j = 0; j < w.length; j++) {
        assertEquals(table.window[i][j], w[j], SensorTable.q8Bound(1), "window " + i + "[" + j + "]");
      }
    }
  }

  @Test
  void filtersSkipChunksByStatistics() {
    long from = table.ts[15_000];
    Result r = sql("SELECT count(*), sum(temp) FROM sensors WHERE ts >= timestamp_micros(" + from + ")");
    double sum = 0;
    for (int i = 15_000; i < ROWS; i++) {
      sum += table.temp[i];
    }
    assertEquals(5000L, r.rows().get(0).getLong(0));
    assertEquals(sum, r.rows().get(0).getDouble(1), 1e-6);
    assertEquals(7, r.metric(ChunksSkipped.NAME), r.metrics().toString());

    Result none = sql("SELECT count(*) FROM sensors WHERE temp > 1000 OR temp < 0");
    assertEquals(0L, none.rows().get(0).getLong(0));
    assertEquals(10, none.metric(ChunksSkipped.NAME));
    assertEquals(0, none.metric(BytesMapped.NAME));
  }

  @Test
  void groupByAggregatesMatchTheSourceWithinTheBound() {
    List<Row> rows = sql("SELECT sensor, count(*), avg(value), min(value), max(value), sum(temp)"
        + " FROM sensors GROUP BY sensor ORDER BY sensor").rows();
    Map<String, double[]> expected = new TreeMap<>();
    for (int i = 0; i < ROWS; i++) {
      double[] a = expected.computeIfAbsent(table.sensor[i], k -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE, 0});
      a[0]++;
      a[1] += table.value[i];
      a[2] = Math.min(a[2], table.value[i]);
      a[3] = Math.max(a[3], table.value[i]);
      a[4] += table.temp[i];
    }
    assertEquals(expected.size(), rows.size());
    int k = 0;
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      Row r = rows.get(k++);
      double[] a = e.getValue();
      assertEquals(e.getKey(), r.getString(0));
      assertEquals((long) a[0], r.getLong(1));
      assertEquals(a[1] / a[0], r.getDouble(2), SensorTable.VALUE_BOUND);
      assertEquals(a[2], r.getFloat(3), SensorTable.VALUE_BOUND * 1.0001);
      assertEquals(a[3], r.getFloat(4), SensorTable.VALUE_BOUND * 1.0001);
      assertEquals(a[4], r.getDouble(5), 1e-6);
    }
  }

  @Test
  void joinsTwoTables() {
    List<Row> rows = sql("SELECT a.sensor, count(*), sum(b.temp) FROM sensors a JOIN sensors b"
        + " ON a.ts = b.ts AND a.sensor = b.sensor WHERE a.temp > 27 GROUP BY a.sensor ORDER BY a.sensor").rows();
    Map<String, double[]> expected = new TreeMap<>();
    for (int i = 0; i < ROWS; i++) {
      if (table.temp[i] > 27) {
        double[] a = expected.computeIfAbsent(table.sensor[i], s -> new double[2]);
        a[0]++;
        a[1] += table.temp[i];
      }
    }
    assertEquals(expected.size(), rows.size());
    int k = 0;
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      Row r = rows.get(k++);
      assertEquals(e.getKey(), r.getString(0));
      assertEquals((long) e.getValue()[0], r.getLong(1));
      assertEquals(e.getValue()[1], r.getDouble(2), 1e-6);
    }
  }

  @Test
  void partitionsAreChunkGroupsOfAboutMaxPartitionBytesAcrossFiles() throws Exception {
    Path d = Files.createDirectories(dir.resolve("split"));
    table.write(d.resolve("a.lzq"), 0, 9000, 1000);
    table.write(d.resolve("b.lzq"), 9000, ROWS, 1000);
    long chunkBytes;
    try (LzqFile f = LzqFile.open(d.resolve("a.lzq"))) {
      chunkBytes = f.index().chunk(0).column(4).length();
    }
    spark.conf().set("spark.sql.files.maxPartitionBytes", String.valueOf(3 * chunkBytes + 3 * 4096));
    spark.conf().set("spark.sql.files.openCostInBytes", "4096");
    try {
      var df = lazyq(d).select("temp");
      assertEquals(7, df.rdd().getNumPartitions(), "20 chunks, 3 per partition");
      double sum = 0;
      for (double t : table.temp) {
        sum += t;
      }
      assertEquals(sum, df.selectExpr("sum(temp)").first().getDouble(0), 1e-6);
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }
  }

  @Test
  void aScanSmallerThanMaxPartitionBytesStillKeepsEveryCoreBusy() {
    // 10 chunks of far less than maxPartitionBytes (128 MB): one partition would leave a core idle.
    int partitions = lazyq(sensors).select("temp").rdd().getNumPartitions();
    assertTrue(partitions >= 2 && partitions <= 3, "local[2] gets 2 partitions (3 if chunk sizes differ), not "
        + partitions);
    spark.conf().set("spark.sql.files.minPartitionNum", "5");
    try {
      partitions = lazyq(sensors).select("temp").rdd().getNumPartitions();
      assertTrue(partitions >= 5 && partitions <= 6, partitions + " partitions");
      double sum = 0;
      for (double t : table.temp) {
        sum += t;
      }
      assertEquals(sum, lazyq(sensors).selectExpr("sum(temp)").first().getDouble(0), 1e-6);
    } finally {
      spark.conf().unset("spark.sql.files.minPartitionNum");
    }
  }

  @Test
  void countStarReadsNoColumn() {
    Result r = sql("SELECT count(*) FROM sensors");
    assertEquals((long) ROWS, r.rows().get(0).getLong(0));
    assertEquals(0, r.metric(BytesMapped.NAME), r.metrics().toString());
    assertEquals(0, r.metric(BlocksDequantized.NAME));
    Result streamed = run(lazyq(sensors, "stream", "true").selectExpr("count(*)"));
    assertEquals((long) ROWS, streamed.rows().get(0).getLong(0));
    assertEquals(0, streamed.metric(io.lazyq.spark.metrics.BytesStreamed.NAME));
  }

  @Test
  void limitReadsTheFirstChunksOnly() {
    Result r = run(lazyq(sensors).select("ts", "sensor").limit(5));
    assertEquals(5, r.rows().size());
    for (Row row : r.rows()) {
      assertTrue(row.getTimestamp(0) != null);
    }
    Result all = sql("SELECT ts, sensor FROM sensors");
    assertTrue(r.metric(BytesMapped.NAME) * 5 < all.metric(BytesMapped.NAME), r.metrics() + " vs " + all.metrics());
  }

  @Test
  void selectingTsNeverTouchesTheQuantizedColumns() throws Exception {
    Path big = dir.resolve("big.lzq");
    new SensorTable(200_000, 3).write(big, 50_000);
    long tsBytes;
    try (LzqFile f = LzqFile.open(big)) {
      tsBytes = f.index().columnBytes(0);
    }
    Result r = run(lazyq(big).select("ts"));
    assertEquals(200_000, r.rows().size());
    assertEquals(tsBytes, r.metric(BytesMapped.NAME));
    assertEquals(0, r.metric(BlocksDequantized.NAME));

    Result max = run(lazyq(big, "aggregatePushdown", "false").selectExpr("max(value)"));
    assertTrue(max.metric(BlocksDequantized.NAME) >= 200_000 / 128, max.metrics().toString());
    // pushed into the scan, the chunks' statistics (of the decoded values) answer it
    Result pushed = run(lazyq(big).selectExpr("max(value)"));
    assertEquals(max.rows(), pushed.rows());
    assertEquals(0, pushed.metric(BlocksDequantized.NAME), pushed.metrics().toString());
    assertEquals(0, pushed.metric(BytesMapped.NAME), pushed.metrics().toString());
  }

  @Test
  void streamReadsFrontToBackAndMapsNothing() throws Exception {
    // Spark's own aggregate, so that max(vib) dequantizes rather than coming from statistics
    Result mapped = run(lazyq(sensors, "aggregatePushdown", "false").selectExpr("sum(temp)", "max(vib)"));
    Result streamed = run(lazyq(sensors, "stream", "true", "aggregatePushdown", "false")
        .selectExpr("sum(temp)", "max(vib)"));
    // the same aggregates pushed into a streaming scan: the stream's one partition, added in the same order
    assertEquals(streamed.rows(), run(lazyq(sensors, "stream", "true").selectExpr("sum(temp)", "max(vib)")).rows());
    // the mapped scan sums two partitions, the stream one whole file: the same sum, added in another order
    assertEquals(mapped.rows().get(0).getDouble(0), streamed.rows().get(0).getDouble(0), 1e-6);
    assertEquals(mapped.rows().get(0).getFloat(1), streamed.rows().get(0).getFloat(1));
    assertEquals(0, streamed.metric(BytesMapped.NAME));
    // every chunk frame is read, and the footer is not: the stream stops after the last chunk wanted
    long bytes = streamed.metric(io.lazyq.spark.metrics.BytesStreamed.NAME);
    assertTrue(bytes > Files.size(sensors) * 0.9 && bytes < Files.size(sensors), bytes + " bytes streamed");
    assertTrue(streamed.metric(BlocksDequantized.NAME) > 0);
  }

  /**
   * Prefetch changes when chunks are opened and dequantized, never what is read: the same rows,
   * bit for bit, with and without it; and a reader closed early (a limit) leaves nothing mapped.
   */
  @Test
  void prefetchReadsTheSameValuesAndLeavesNothingMapped() {
    String[] columns = {"sensor", "cast(temp AS string)", "cast(vib AS string)", "cast(value AS string)",
        "cast(window AS string)"};
    Result off = run(lazyq(sensors).selectExpr(columns));
    assertEquals(ROWS, off.rows().size());
    for (String[] options : new String[][] {{"prefetch", "1"}, {"prefetch", "3", "prefetchDequantize", "true"}}) {
      Result on = run(lazyq(sensors, options).selectExpr(columns));
      assertEquals(off.rows(), on.rows(), String.join("=", options));
      assertEquals(off.metric(BytesMapped.NAME), on.metric(BytesMapped.NAME));
      assertTrue(on.metrics().containsKey(ConsumerWait.NAME), on.metrics().toString());
    }
    Result limited = run(lazyq(sensors, "prefetch", "4", "prefetchDequantize", "true").select("ts", "vib").limit(3));
    assertEquals(3, limited.rows().size());
    assertEquals(0, MappingStats.processLiveMappings(), "mappings left open");
  }

  /** A damaged chunk fails the query with the reader's own error, whichever thread opened the chunk. */
  @Test
  void aDamagedChunkFailsTheQueryWithAndWithoutPrefetch() throws Exception {
    Path damaged = dir.resolve("damaged.lzq");
    byte[] bytes = Files.readAllBytes(sensors);
    long at;
    try (LzqFile f = LzqFile.open(sensors)) {
      var chunk = f.index().chunk(6);
      at = chunk.payloadOffset() + chunk.column(3).offset() + 5; // vib, which the query reads
    }
    bytes[(int) at] ^= 0x10;
    Files.write(damaged, bytes);
    for (String prefetch : new String[] {"0", "2"}) {
      Exception e = assertThrows(Exception.class,
          () -> lazyq(damaged, "prefetch", prefetch).selectExpr("sum(temp)", "sum(vib)").collectAsList());
      Throwable cause = e;
      while (cause != null && !(cause instanceof io.lazyq.LazyQFormatException)) {
        cause = cause.getCause();
      }
      assertTrue(cause != null, "prefetch=" + prefetch + ": " + e);
      assertTrue(cause.getMessage().contains("damaged.lzq") && cause.getMessage().contains("checksum mismatch in chunk 6"),
          cause.getMessage());
    }
    // The query fails as soon as one task does; Spark kills the other tasks after that, and they
    // release their mappings as they end.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (MappingStats.processLiveMappings() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, MappingStats.processLiveMappings(), "mappings left open");
  }

  @Test
  void rawBlocksWhenNotDequantized() {
    List<Row> rows = run(lazyq(sensors, "dequantize", "false").select("vib")).rows();
    var field = lazyq(sensors, "dequantize", "false").schema().apply("vib");
    assertEquals("q8_0", field.metadata().getString(SparkSchemas.QUANT));
    int blocks = 0;
    for (int i = 0; i < rows.size(); i++) {
      boolean starts = i % 2000 % 32 == 0;
      assertEquals(starts, !rows.get(i).isNullAt(0), "row " + i);
      if (starts) {
        assertEquals(34, ((byte[]) rows.get(i).get(0)).length);
        blocks++;
      }
    }
    assertEquals(10 * (2000 / 32 + 1), blocks);
  }

  @Test
  void directoriesGlobsAndHiddenFiles() throws Exception {
    Path d = Files.createDirectories(dir.resolve("parts"));
    table.write(d.resolve("a.lzq"), 0, 5000, 1000);
    table.write(d.resolve("b.lzq"), 5000, 12_000, 1000);
    Files.writeString(d.resolve("_SUCCESS"), "");
    Files.writeString(d.resolve(".hidden"), "junk");
    assertEquals(12_000, lazyq(d).count());
    assertEquals(5000, spark.read().format("lazyq").load(d + "/a*").count());

    SampleTables.write(d.resolve("c.lzq"), SampleTables.allTypes(), SampleTables.allTypesRows(10, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lazyq(d).count());
    assertTrue(e.getMessage().contains("c.lzq"), e.getMessage());
  }

  @Test
  void optionsAreCheckedOnce() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> lazyq(sensors, "batchSize", "10").count());
    assertTrue(unknown.getMessage().contains("batchRows"), unknown.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> lazyq(sensors, "BATCHROWS", "10").count());
    assertTrue(bad.getMessage().contains("multiple of 8"), bad.getMessage());
    assertEquals(ROWS, lazyq(sensors, "BatchRows", "256", "STREAM", "TRUE").count());
  }

  @Test
  void createTableUsingLazyq() {
    spark.sql("DROP TABLE IF EXISTS sensor_table");
    spark.sql("CREATE TABLE sensor_table USING lazyq LOCATION '" + sensors + "'");
    List<Row> rows = sql("SELECT count(*), max(temp) FROM sensor_table").rows();
    assertEquals((long) ROWS, rows.get(0).getLong(0));
    spark.sql("DROP TABLE sensor_table");
  }

  static float[] floats(List<Float> list) {
    float[] a = new float[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }

  static double maxAbs(float[] values) {
    double m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  static <T> List<T> list(Iterable<T> it) {
    List<T> l = new ArrayList<>();
    it.forEach(l::add);
    return l;
  }
}
