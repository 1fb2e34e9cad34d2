package io.lazyq.spark;

/** What one partition reader did, reported as task metrics; used by the task's thread only. */
final class ReadCounters {
  long blocksDequantized;
}
