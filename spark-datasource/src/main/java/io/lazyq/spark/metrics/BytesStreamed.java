package io.lazyq.spark.metrics;

/** Bytes read from sequential streams ({@code stream=true}), where nothing is mapped. */
public class BytesStreamed extends SumMetric {
  public static final String NAME = "bytesStreamed";

  public BytesStreamed() {
    super(NAME, "bytes streamed");
  }
}
