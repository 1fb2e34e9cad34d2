package io.lazyq.spark.metrics;

/** Quantized blocks decoded: only batches whose quantized columns Spark actually reads count. */
public class BlocksDequantized extends SumMetric {
  public static final String NAME = "blocksDequantized";

  public BlocksDequantized() {
    super(NAME, "blocks dequantized");
  }
}
