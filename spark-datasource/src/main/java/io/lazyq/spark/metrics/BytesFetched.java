package io.lazyq.spark.metrics;

/** Bytes fetched from remote storage by a scan's tasks, metadata included: about the selected columns' stored bytes. */
public class BytesFetched extends SumMetric {
  public static final String NAME = "bytesFetched";

  public BytesFetched() {
    super(NAME, "bytes fetched from remote storage");
  }
}
