package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failed and retried tasks, on a session that retries a failed task once ({@code local[2,2]}). */
class WriteFaultsTest extends SparkTestBase {
  @BeforeAll
  static void retryingSession() {
    spark.stop();
    spark = SparkSession.builder().master("local[2,2]").appName("lazyq-faults").config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC").getOrCreate();
  }

  /** The frame with column i passed through a UDF that throws at row {@code at} on the given attempts. */
  static Dataset<Row> failing(Dataset<Row> df, int at, boolean firstAttemptOnly) {
    UDF1<Integer, Integer> f = i -> {
      if (i == at && (!firstAttemptOnly || TaskContext.get().attemptNumber() == 0)) {
        throw new IllegalStateException("injected failure at row " + i);
      }
      return i;
    };
    return df.withColumn("i", functions.udf(f, DataTypes.IntegerType).asNonNullable().apply(df.col("i")));
  }

  /** A frame whose partitions are ranges of i: the failing row is halfway through partition 1. */
  static Dataset<Row> frame(int rows) {
    return spark.createDataFrame(LazyQWriteTest.allTypesRows(rows, 7), LazyQWriteTest.ALL_TYPES).repartitionByRange(3,
        functions.col("i"));
  }

  @Test
  void aTaskThatThrowsHalfwayLeavesNoPartFile() throws Exception {
    Path out = dir.resolve("failed");
    Exception e = assertThrows(Exception.class,
        () -> failing(frame(3000), 1500, false).write().format("lazyq").option("chunkRows", "100").save(out.toString()));
    assertTrue(String.valueOf(e.getMessage()).contains("injected failure") || e.getCause() != null, e.toString());
    assertTrue(!Files.exists(out) || allFiles(out).stream().noneMatch(n -> n.contains("part-")), allFiles(out).toString());

    frame(300).write().format("lazyq").save(out.toString());
    List<String> before = LazyQWriteTest.dataFiles(out);
    assertThrows(Exception.class, () -> failing(frame(3000), 1500, false).write().format("lazyq")
        .mode(SaveMode.Overwrite).save(out.toString()));
    assertEquals(before, LazyQWriteTest.dataFiles(out), "overwrite that failed leaves the table as it was");
    assertEquals(300, lazyq(out).count());
    assertFalse(Files.exists(out.resolve(WriteJob.STAGING)), "staging removed");
  }

  @Test
  void aRetriedTaskProducesNoDuplicate() throws Exception {
    Path out = dir.resolve("retried");
    failing(frame(3000), 1500, true).write().format("lazyq").option("chunkRows", "100").save(out.toString());
    List<Row> back = lazyq(out).select("i").orderBy("i").collectAsList();
    assertEquals(3000, back.size());
    for (int i = 0; i < back.size(); i++) {
      assertEquals(i, back.get(i).getInt(0));
    }
    assertEquals(3, LazyQWriteTest.dataFiles(out).size(), LazyQWriteTest.dataFiles(out).toString());
    assertEquals(List.of("_lazyq_log/00000000000000000000.json", "_lazyq_log/00000000000000000001.json"),
        allFiles(out).stream().filter(n -> n.startsWith("_") || n.startsWith(".")).toList());
  }

  static List<String> allFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
