package io.lazyq.it;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cluster jobs on a standalone cluster in containers. */
@ExtendWith(ContainerCluster.class)
class ContainerClusterIT extends ClusterSuite {
  @Override
  SparkSession session(String appName) {
    return ContainerCluster.get().session(appName);
  }
}
