package io.lazyq.spark.metrics;

/** Chunks that the pushed filters ruled out from their statistics, so that no task reads them. */
public class ChunksSkipped extends SumMetric {
  public static final String NAME = "chunksSkipped";

  public ChunksSkipped() {
    super(NAME, "chunks skipped by statistics");
  }
}
