package io.lazyq.spark.metrics;

/** Files that a scan's plan reads: those of a partitioned table that pruning left. */
public class FilesRead extends SumMetric {
  public static final String NAME = "filesRead";

  public FilesRead() {
    super(NAME, "files read by a scan, after partition pruning");
  }
}
