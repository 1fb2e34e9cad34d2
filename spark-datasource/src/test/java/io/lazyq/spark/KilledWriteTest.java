package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** A JVM killed while it overwrites a table leaves the previous contents readable. */
class KilledWriteTest extends SparkTestBase {

  /** The child: overwrites the table slowly, until it is killed. */
  public static void main(String[] args) {
    SparkSession s = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    UDF1<Long, Long> slow = id -> {
      if (id % 1000 == 0) {
        Thread.sleep(20);
      }
      return id;
    };
    s.range(10_000_000).withColumn("id", functions.udf(slow, DataTypes.LongType).apply(functions.col("id")))
        .selectExpr("id", "CAST(id AS FLOAT) AS value").write().format("lazyq").option("chunkRows", "1000")
        .mode(SaveMode.Overwrite).save(args[0]);
  }

  @Test
  void killedOverwriteLeavesThePreviousContents() throws Exception {
    Path out = dir.resolve("killed");
    spark.range(100).selectExpr("id", "CAST(id AS FLOAT) AS value").write().format("lazyq").save(out.toString());
    List<String> before = LazyQWriteTest.dataFiles(out);

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KilledWriteTest.class.getName(), out.toString()));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
        .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (stagedChunks(out) == 0 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(child.isAlive(), "the child wrote until it was killed: " + Files.readString(dir.resolve("child.log")));
      assertTrue(stagedChunks(out) > 0, "tasks were writing part files when the JVM was killed");
    } finally {
      child.destroyForcibly().waitFor();
    }
    assertEquals(before, LazyQWriteTest.dataFiles(out));
    assertEquals(100, lazyq(out).count());
    assertEquals(4950.0, lazyq(out).selectExpr("sum(value)").first().getDouble(0));
  }

  /** Bytes of part files being written in the staging directory. */
  private static long stagedChunks(Path table) throws Exception {
    Path staging = table.resolve(WriteJob.STAGING);
    if (!Files.exists(staging)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(staging)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
