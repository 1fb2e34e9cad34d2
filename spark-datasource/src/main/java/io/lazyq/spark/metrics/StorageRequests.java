package io.lazyq.spark.metrics;

/** Read requests a scan's tasks sent to remote storage; a chunk's selected columns take one, merged. */
public class StorageRequests extends SumMetric {
  public static final String NAME = "storageRequests";

  public StorageRequests() {
    super(NAME, "storage requests");
  }
}
