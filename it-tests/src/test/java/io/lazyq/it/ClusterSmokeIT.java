package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cluster itself: two workers, each running an executor in a JVM of its own. */
@ExtendWith(SparkCluster.class)
class ClusterSmokeIT {
  @Test
  void executorsRunInSeparateJvms() {
    SparkSession spark = ClusterJobs.cluster(SparkCluster.get().masterUrl(), "smoke");
    try {
      long sum = spark.range(0, 1_000_000, 1, 8).selectExpr("sum(id)").first().getLong(0);
      assertEquals(999_999L * 1_000_000 / 2, sum);
      List<ProcessHandle> executors = Executors.of(spark.sparkContext().applicationId());
      assertEquals(SparkCluster.WORKERS, executors.size());
      long driver = ProcessHandle.current().pid();
      assertTrue(executors.stream().noneMatch(h -> h.pid() == driver));
    } finally {
      spark.stop();
    }
  }
}
