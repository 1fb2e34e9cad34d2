package io.lazyq.spark.metrics;

/**
 * Milliseconds a scan's tasks spent waiting for data rather than processing it: opening the next
 * chunk (mapping, checksums, the page faults they take) and dequantizing batches. Prefetch moves
 * this work to another thread; what is left here is the wait it did not hide.
 */
public class ConsumerWait extends SumMetric {
  public static final String NAME = "consumerWaitMs";

  public ConsumerWait() {
    super(NAME, "time waiting for data (ms)");
  }
}
