package io.lazyq.spark.metrics;

/** Bytes of column chunks mapped by a scan's tasks: zero for a column that nothing selects. */
public class BytesMapped extends SumMetric {
  public static final String NAME = "bytesMapped";

  public BytesMapped() {
    super(NAME, "bytes mapped");
  }
}
