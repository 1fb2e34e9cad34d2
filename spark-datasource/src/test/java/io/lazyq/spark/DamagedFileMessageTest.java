package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.LzqFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkThrowable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a user, PySpark's above all, reads first when a query meets a damaged file: the message of
 * the exception the query throws, whose first line must name the file, the offset and the problem.
 */
class DamagedFileMessageTest extends SparkTestBase {
  static Path damaged;
  static long columnStart;

  @BeforeAll
  static void damageAChunk() throws Exception {
    Path sensors = new SensorTable(5000, 1).write(dir.resolve("sensors.lzq"), 1000);
    try (LzqFile f = LzqFile.open(sensors)) {
      var chunk = f.index().chunk(2);
      columnStart = chunk.payloadOffset() + chunk.column(3).offset(); // vib
    }
    byte[] bytes = Files.readAllBytes(sensors);
    bytes[(int) columnStart + 5] ^= 0x10;
    damaged = dir.resolve("damaged.lzq");
    Files.write(damaged, bytes);
  }

  @Test
  void theQuerysErrorStartsWithTheFileTheOffsetAndTheProblem() throws Exception {
    String expected = "[LAZYQ_MALFORMED_FILE] " + damaged + ": at offset " + columnStart
        + ": checksum mismatch in chunk 2, column 'vib'";
    for (String prefetch : new String[] {"0", "2"}) {
      Exception e = assertThrows(Exception.class,
          () -> lazyq(damaged, "prefetch", prefetch).selectExpr("sum(vib)").collectAsList());
      // Before, this was "Job aborted due to stage failure: Task 1 in stage 0.0 failed 1 times, ...".
      assertEquals(expected, e.getMessage().lines().findFirst().orElseThrow(), "prefetch=" + prefetch);
      assertInstanceOf(SparkThrowable.class, e);
      // The condition by the name of every Spark version (Spark 3.5's SparkThrowable calls it getErrorClass).
      SparkConditionException error = assertInstanceOf(SparkConditionException.class, e);
      assertEquals("LAZYQ_MALFORMED_FILE", error.getCondition());
      assertEquals("KD001", error.getSqlState());
      assertEquals(Map.of("path", damaged.toString(), "offset", Long.toString(columnStart),
          "problem", "checksum mismatch in chunk 2, column 'vib'"), error.getMessageParameters());
      assertInstanceOf(LazyQFormatException.class, e.getCause());
      awaitKilledTasks();
    }
  }

  @Test
  void aStreamingQueryEndsWithTheSameFirstLine() throws Exception {
    var query = spark.readStream().format("lazyq").load(damaged.toString()).selectExpr("vib")
        .writeStream().format("noop").start();
    Exception e = assertThrows(Exception.class, query::awaitTermination);
    Throwable cause = e.getCause();
    assertInstanceOf(MalformedFileException.class, cause, String.valueOf(e));
    assertEquals("[LAZYQ_MALFORMED_FILE] " + damaged + ": at offset " + columnStart
        + ": checksum mismatch in chunk 2, column 'vib'", cause.getMessage());
    awaitKilledTasks();
  }

  /** The query fails as soon as one task does; Spark kills the others, which release their memory as they end. */
  private static void awaitKilledTasks() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!TaskAllocators.root().getChildAllocators().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
