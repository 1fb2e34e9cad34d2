package io.lazyq.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Spark sessions for the tests: on the cluster with only the bundle jar added, or on local[*]. */
final class ClusterJobs {
  private ClusterJobs() {}

  /** The connector's bundle jar, as the build copied it. */
  static Path bundle() {
    Path jar = Path.of(System.getProperty("lazyq.it.bundle", "target/bundle/lazyq-bundle.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no bundle jar at " + jar + ": run mvn verify, which copies it");
    }
    return jar;
  }

  /** A session on {@code master}, its executors getting LazyQ from the bundle jar alone. */
  static SparkSession cluster(String master, String appName) {
    return cluster(master, appName, Map.of());
  }

  /** The same, with {@code extra} settings. */
  static SparkSession cluster(String master, String appName, Map<String, Object> extra) {
    String opens = System.getProperty("lazyq.test.argLine", "");
    return SparkSession.builder().appName(appName).master(master).config(extra)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.jars", bundle().toString())
        .config("spark.executor.memory", SparkCluster.EXECUTOR_MEMORY)
        .config("spark.executor.cores", Integer.toString(SparkCluster.CORES_PER_WORKER))
        .config("spark.cores.max", Integer.toString(SparkCluster.WORKERS * SparkCluster.CORES_PER_WORKER))
        .config("spark.executor.extraJavaOptions", opens)
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  /** The same job's reference run: {@code local[*]} in this JVM. */
  static SparkSession local(String appName) {
    return SparkSession.builder().appName(appName).master("local[*]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }
}
