package io.lazyq.spark;

/** What one partition reader did, reported as task metrics; used by the task's thread only. */
final class ReadCounters {
  long blocksDequantized;
  /** Time the task's thread spent getting data ready: opening chunks and dequantizing. */
  long waitNanos;
}
