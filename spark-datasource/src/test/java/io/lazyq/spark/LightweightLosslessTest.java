package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * A DataFrame written with {@code lossless=lightweight} and read back by Spark: every value as
 * generated (float and double bits included, -0.0, infinities and subnormals; NaN as Spark's rows
 * carry it), nulls and runs; sums against the generated values; and the files hold only block
 * schemes without an entropy coder, so a reader needs no option.
 */
class LightweightLosslessTest extends SparkTestBase {
  static final int ROWS = 30_000;

  @Test
  void everyValueReadsBackAndNoChunkHoldsZstd() throws Exception {
    Random r = new Random(23);
    float[] specialsF = {-0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 1e-40f, Float.NaN};
    double[] specialsD = {-0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 4.9e-320};
    Float[] reading = new Float[ROWS];
    Double[] level = new Double[ROWS];
    Integer[] count = new Integer[ROWS];
    List<Row> rows = new ArrayList<>();
    long walk = 10_195;
    for (int i = 0; i < ROWS; i++) {
      walk += r.nextInt(10) == 0 ? Math.round(r.nextGaussian() * 80) : r.nextInt(3) - 1;
      reading[i] = i % 2000 < 30 ? null : r.nextInt(250) == 0 ? specialsF[r.nextInt(specialsF.length)] : walk / 10f;
      level[i] = r.nextInt(250) == 0 ? specialsD[r.nextInt(specialsD.length)] : (i / 900) % 3 == 0 ? 2.5 : walk / 1000.0;
      count[i] = i % 500 == 0 ? null : -9999 + (i / 4000) * 10_000;
      rows.add(RowFactory.create(i, new Timestamp(1_700_000_000_000L + 1000L * i), "pump-" + (i / 7000), reading[i], level[i],
          count[i]));
    }
    StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("ts", DataTypes.TimestampType)
        .add("sensor", DataTypes.StringType).add("reading", DataTypes.FloatType).add("level", DataTypes.DoubleType)
        .add("count", DataTypes.IntegerType);
    Path out = dir.resolve("lightweight");
    spark.createDataFrame(rows, schema).coalesce(1).write().format("lazyq").option("lossless", "lightweight")
        .option("chunkRows", "8192").save(out.toString());

    List<Row> back = lazyq(out).orderBy("id").collectAsList();
    assertEquals(ROWS, back.size());
    double sumReading = 0;
    for (int i = 0; i < ROWS; i++) {
      Row row = back.get(i);
      assertEquals(i, row.getInt(0));
      assertEquals(1_700_000_000_000L + 1000L * i, row.getTimestamp(1).getTime(), "ts of row " + i);
      assertEquals("pump-" + (i / 7000), row.getString(2));
      assertEquals(reading[i] == null, row.isNullAt(3), "nullness of reading " + i);
      if (reading[i] != null) {
        // Spark's rows carry one NaN; every other pattern keeps its bits.
        if (Float.isNaN(reading[i])) {
          assertTrue(Float.isNaN(row.getFloat(3)), "NaN of row " + i);
        } else {
          assertEquals(Float.floatToRawIntBits(reading[i]), Float.floatToRawIntBits(row.getFloat(3)), "reading of row " + i);
        }
        sumReading += Float.isFinite(reading[i]) ? reading[i] : 0;
      }
      assertEquals(Double.doubleToRawLongBits(level[i]), Double.doubleToRawLongBits(row.getDouble(4)), "level of row " + i);
      assertEquals(count[i], row.isNullAt(5) ? null : row.getInt(5), "count of row " + i);
    }
    lazyq(out).createOrReplaceTempView("lightweight");
    Row sums = sql("SELECT sum(CASE WHEN isnan(reading) OR abs(reading) = double('inf') THEN 0 ELSE reading END), count(reading)"
        + " FROM lightweight").rows().get(0);
    assertEquals(sumReading, sums.getDouble(0), Math.abs(sumReading) * 1e-12, "sum of the finite readings");
    assertEquals(Stream.of(reading).filter(x -> x != null).count(), sums.getLong(1), "readings that are not null");

    List<Path> files;
    try (Stream<Path> s = Files.list(out)) {
      files = s.filter(p -> p.toString().endsWith(".lzq")).toList();
    }
    assertEquals(1, files.size());
    try (LzqFile f = LzqFile.open(files.get(0))) {
      assertEquals(4, f.index().size());
      for (int k = 0; k < f.index().size(); k++) {
        for (int c = 0; c < f.schema().size(); c++) {
          ColumnEncoding.Lossless stored = f.index().chunk(k).column(c).compression();
          assertTrue(stored == ColumnEncoding.Lossless.BLOCKS || stored == ColumnEncoding.Lossless.NONE,
              f.schema().field(c).name() + " chunk " + k + ": " + stored);
          try (ColumnView v = f.column(k, c)) {
            String summary = v.encodingSummary();
            assertTrue(!summary.contains("zstd") && !summary.contains("stream"), f.schema().field(c).name() + ": " + summary);
          }
        }
        assertEquals(ColumnEncoding.Lossless.BLOCKS, f.index().chunk(k).column(3).compression(), "reading chunk " + k);
      }
    }
  }
}
