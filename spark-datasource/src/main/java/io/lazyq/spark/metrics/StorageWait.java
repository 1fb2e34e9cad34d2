package io.lazyq.spark.metrics;

/** Milliseconds a scan's tasks waited for remote storage. */
public class StorageWait extends SumMetric {
  public static final String NAME = "storageWaitMs";

  public StorageWait() {
    super(NAME, "storage wait (ms)");
  }
}
