package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.LzqFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A DataFrame whose humidity follows from station, dew point and temperature, and whose cumulated
 * rain is the running sum of the hourly one, written by Spark: the chunks store both as
 * derivations, and Spark reads them back as generated, alone (their sources read for them), with a
 * filter on the derived column (its statistics prune chunks) and in a sum, each against the
 * generated values; on every kind of storage (a local directory, HDFS, S3 through S3A), where a
 * derived column's sources are fetched by range reads of their own.
 */
class DerivedColumnsSparkTest extends SparkTestBase {
  static final int ROWS = 40_000;

  static List<String> kinds() {
    return StorageServers.kinds();
  }

  @BeforeAll
  static void reachS3() throws Exception {
    StorageServers.reach("s3a", dir, spark);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void derivedColumnsReadBackAloneFilteredAndSummed(String kind) throws Exception {
    Random r = new Random(7);
    List<Row> rows = new ArrayList<>();
    float[] humi = new float[ROWS];
    float[] cumulated = new float[ROWS];
    float dew = 3;
    float temp = 12;
    float sum = 0;
    for (int i = 0; i < ROWS; i++) {
      String station = "station-" + (i * 4 / ROWS);
      dew = Math.max(-25, Math.min(25, dew + r.nextInt(3) - 1));
      temp = Math.max(dew, Math.min(38, temp + r.nextInt(5) - 2));
      double magnus = 100 * Math.exp(17.625 * dew / (243.04 + dew) - 17.625 * temp / (243.04 + temp));
      humi[i] = (i * 4 / ROWS) % 2 == 0 ? Math.round(magnus) : Math.round(magnus * 10) / 10f;
      float rain = r.nextInt(6) == 0 ? r.nextInt(30) / 10f : 0f;
      sum = rain == 0f ? 0f : sum + rain;
      cumulated[i] = sum;
      rows.add(RowFactory.create(i, station, dew, temp, humi[i], rain, cumulated[i]));
    }
    StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("station", DataTypes.StringType)
        .add("dew", DataTypes.FloatType).add("temp", DataTypes.FloatType).add("humi", DataTypes.FloatType)
        .add("rain", DataTypes.FloatType).add("cumulated", DataTypes.FloatType);
    String out = StorageServers.target(kind, dir).path("derived");
    spark.createDataFrame(rows, schema).coalesce(1).write().format("lazyq").option("lossless", "smallest")
        .option("chunkRows", "10000").save(out);

    // The chunks as stored, on the local directory (the writer is the same on every storage).
    if (kind.equals("local")) {
      Path file;
      try (Stream<Path> files = Files.list(Path.of(out))) {
        file = files.filter(p -> p.toString().endsWith(".lzq")).findFirst().orElseThrow();
      }
      checkDerived(file);
    }

    List<Row> back = lazyq(out).select("id", "humi", "cumulated").orderBy("id").collectAsList();
    assertEquals(ROWS, back.size());
    for (int i = 0; i < ROWS; i++) {
      assertEquals(Float.floatToRawIntBits(humi[i]), Float.floatToRawIntBits(back.get(i).getFloat(1)), "humi, row " + i);
      assertEquals(Float.floatToRawIntBits(cumulated[i]), Float.floatToRawIntBits(back.get(i).getFloat(2)),
          "cumulated, row " + i);
    }

    float threshold = 90f;
    long expected = 0;
    double expectedSum = 0;
    for (int i = 0; i < ROWS; i++) {
      if (humi[i] > threshold) {
        expected++;
        expectedSum += cumulated[i];
      }
    }
    assertTrue(expected > 0 && expected < ROWS, "the filter keeps some rows: " + expected);
    Row agg = lazyq(out).where("humi > " + threshold).selectExpr("count(*)", "sum(cast(cumulated as double))").first();
    assertEquals(expected, agg.getLong(0));
    assertEquals(expectedSum, agg.getDouble(1), 1e-6 * Math.max(1, Math.abs(expectedSum)));
  }

  /** Every chunk of the file stores humidity and the cumulated rain as derivations. */
  private static void checkDerived(Path file) throws Exception {
    try (LzqFile f = LzqFile.open(file)) {
      assertEquals(4, f.index().size());
      for (int k = 0; k < f.index().size(); k++) {
        assertEquals(ColumnEncoding.Lossless.DERIVED, f.index().chunk(k).column(f.schema().indexOf("humi")).compression());
        assertEquals(ColumnEncoding.Lossless.DERIVED,
            f.index().chunk(k).column(f.schema().indexOf("cumulated")).compression());
      }
    }
  }
}
