package io.lazyq.it;

import org.apache.spark.sql.SparkSession;

/**
 * A driver that overwrites a lazyq table on a cluster, for a test to kill mid-write:
 * {@code WriteDriverMain MASTER SOURCE TARGET}.
 */
public final class WriteDriverMain {
  private WriteDriverMain() {}

  public static void main(String[] args) {
    SparkSession spark = ClusterJobs.cluster(args[0], "killed-writer",
        java.util.Map.of("spark.shuffle.readHostLocalDisk", "false"));
    ClusterSuite.write(spark.read().format("lazyq").load(args[1]), args[2]);
    System.out.println("finished=true");
    spark.stop();
  }
}
