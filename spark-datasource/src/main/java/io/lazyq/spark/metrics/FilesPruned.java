package io.lazyq.spark.metrics;

/** Files of a partitioned table that partition pruning dropped at planning: their footers are never read. */
public class FilesPruned extends SumMetric {
  public static final String NAME = "filesPruned";

  public FilesPruned() {
    super(NAME, "files dropped by partition pruning, whose footers were never read");
  }
}
