package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One job on a standalone cluster of the Spark on the test classpath, its executors getting LazyQ
 * from the bundle jar alone: a quantized write, then a filtered aggregate over what was written,
 * each checked against an independent computation and against the same read on {@code local[*]}.
 *
 * <p>Run by the Spark version modules (spark-datasource/versions/pom.xml), each on its own Spark's
 * jars and bundle; not by this module, whose {@link JvmClusterIT} runs the full suite on the primary
 * Spark.
 */
@ExtendWith(SparkCluster.class)
class SparkVersionJob {
  static final long ROWS = 40_000;
  static final int SENSORS = 5;
  /** Values in [-1, 1) of a float column quantized with q8_0, exactly representable before it. */
  static final String LEVEL = "CAST((id * 7 % 256 - 128) / 128.0 AS FLOAT)";
  /** q8_0's error: half a step of a block's scale, which is at most 1/127 for values in [-1, 1]. */
  static final double Q8_BOUND = 0.5 / 127 + 1e-6;
  static final String AGGREGATE = "SELECT sensor, count(*), sum(id), sum(temperature), sum(level), max(abs(level - "
      + LEVEL + ")) FROM t WHERE id % 3 <> 0 GROUP BY sensor ORDER BY sensor";

  @Test
  void writesAndReadsOnTheCluster() throws Exception {
    Path table = ItData.freshDir("spark-version-job").resolve("sensors");
    List<Row> rows;
    try (SparkSession cluster = ClusterJobs.cluster(SparkCluster.get().masterUrl(), "spark-version-job")) {
      cluster.range(0, ROWS, 1, 2).selectExpr("id", "concat('s-', id % " + SENSORS + ") AS sensor",
              "(id % 1000) * 0.25D AS temperature", LEVEL + " AS level")
          .write().format("lazyq").option("quantize", "level=q8_0").option("chunkRows", "4096")
          .save(table.toString());
      rows = aggregate(cluster, table);
    }
    assertIndependent(rows);
    // One SparkContext per JVM at a time: the reference runs after the cluster's session stopped.
    try (SparkSession local = ClusterJobs.local("spark-version-job-local")) {
      Rows.assertClose(aggregate(local, table), rows, 1e-12);
    }
  }

  private static List<Row> aggregate(SparkSession spark, Path table) {
    spark.read().format("lazyq").load(table.toString()).createOrReplaceTempView("t");
    return spark.sql(AGGREGATE).collectAsList();
  }

  /** Exact columns exactly as computed here; the quantized column within q8_0's bound. */
  private static void assertIndependent(List<Row> rows) {
    assertEquals(SENSORS, rows.size());
    for (int s = 0; s < SENSORS; s++) {
      long count = 0;
      long sumId = 0;
      double sumTemperature = 0;
      double sumLevel = 0;
      for (long id = s; id < ROWS; id += SENSORS) {
        if (id % 3 != 0) {
          count++;
          sumId += id;
          sumTemperature += (id % 1000) * 0.25;
          sumLevel += (float) ((id * 7 % 256 - 128) / 128.0);
        }
      }
      Row r = rows.get(s);
      assertEquals("s-" + s, r.getString(0));
      assertEquals(count, r.getLong(1));
      assertEquals(sumId, r.getLong(2));
      // Sums of quarters below 2^53: exact in any order.
      assertEquals(sumTemperature, r.getDouble(3), 0);
      assertEquals(sumLevel, r.getDouble(4), count * Q8_BOUND);
      assertTrue(r.getFloat(5) <= Q8_BOUND, "largest q8_0 error " + r.get(5));
    }
  }
}
