package io.lazyq.it;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cluster jobs on a standalone cluster of separate JVMs. */
@ExtendWith(SparkCluster.class)
class JvmClusterIT extends ClusterSuite {
  @Override
  SparkSession session(String appName) {
    return ClusterJobs.cluster(SparkCluster.get().masterUrl(), appName);
  }
}
