package io.lazyq.cli;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Bytes read through Hadoop's local file system while a query ran: what the Parquet reader read.
 * Task input metrics miss most of it (Spark 4.1's vectorized Parquet reader reports its footers
 * only), so the file system's own counters are the measure.
 */
final class InputBytes extends SparkListener {
  private final SparkSession spark;
  private final AtomicLong bytes = new AtomicLong();

  private InputBytes(SparkSession spark) {
    this.spark = spark;
  }

  static InputBytes register(SparkSession spark) {
    InputBytes listener = new InputBytes(spark);
    spark.sparkContext().addSparkListener(listener);
    return listener;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskMetrics() != null) {
      bytes.addAndGet(end.taskMetrics().inputMetrics().bytesRead());
    }
  }

  void reset() {
    drain();
    bytes.set(0);
    start = localBytesRead();
  }

  long bytes() {
    drain();
    return Math.max(bytes.get(), localBytesRead() - start);
  }

  private long start;

  private static long localBytesRead() {
    long total = 0;
    for (org.apache.hadoop.fs.FileSystem.Statistics s : org.apache.hadoop.fs.FileSystem.getAllStatistics()) {
      if ("file".equals(s.getScheme())) {
        total += s.getBytesRead();
      }
    }
    return total;
  }

  /** Task-end events arrive asynchronously: wait until the bus has delivered them. */
  private void drain() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
  }
}
