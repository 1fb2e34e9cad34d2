package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One local Spark session per test class; every test ends with the Arrow allocator empty and every
 * buffer of remote reads back in its pool.
 */
abstract class SparkTestBase {
  static SparkSession spark;

  @TempDir static Path dir;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("lazyq-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
    spark = null;
  }

  @AfterEach
  void allocatorIsEmpty() {
    assertEquals(0, TaskAllocators.root().getAllocatedMemory(), "Arrow memory outstanding");
    assertTrue(TaskAllocators.root().getChildAllocators().isEmpty(), "task allocators left open: "
        + TaskAllocators.root().getChildAllocators());
    assertEquals(0, io.lazyq.storage.BufferPool.shared().outstanding(), "pooled buffers of remote reads not returned");
  }

  static Dataset<Row> lazyq(Path path, String... options) {
    return lazyq(path.toString(), options);
  }

  /** A local path or a URI. */
  static Dataset<Row> lazyq(String location, String... options) {
    var reader = spark.read().format("lazyq");
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    return reader.load(location);
  }

  /** Runs a query and returns its rows with the lazyq metrics it reported. */
  static Result run(Dataset<Row> df) {
    List<Row> rows = df.collectAsList();
    return new Result(rows, ScanMetrics.of(df));
  }

  static Result sql(String query) {
    return run(spark.sql(query));
  }

  record Result(List<Row> rows, Map<String, Long> metrics) {
    long metric(String name) {
      return metrics.getOrDefault(name, -1L);
    }
  }
}
