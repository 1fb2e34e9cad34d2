package io.lazyq.spark.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The CPU time of a Spark query's runs, for benches that compare two scans on this shared machine:
 * the CPU time of the threads that read (Spark's task threads and LazyQ's prefetch threads) beside
 * the whole JVM's, whose JIT compiler, garbage collector, driver and scheduler threads move it 2-7x
 * between runs; two queries run in alternation, the order reversed every other round.
 */
final class ScanCpu {
  /** Names of the threads a scan's reading runs on: Spark's task threads and the chunk prefetcher's. */
  private static final String[] READING_THREADS = {"Executor task launch worker", "lazyq-prefetch-"};

  private ScanCpu() {}

  /** One run of a query: its result, the CPU nanoseconds of the reading threads and of the whole JVM. */
  record Run(List<Row> rows, long readingNanos, long jvmNanos) {}

  /** Receives one measured round of {@link #alternate}. */
  interface Round {
    void accept(int round, Run a, Run b);
  }

  /**
   * Runs {@code a} and {@code b} for {@code warmup} rounds unmeasured, then {@code rounds} rounds,
   * {@code b} first in every odd one, each handed to {@code each}. Every run plans its query afresh
   * (from the supplier): run again, one Dataset reuses its adaptive plan's materialised shuffle
   * stages, so that only the final aggregation (one task) would be measured.
   */
  static void alternate(int warmup, int rounds, Supplier<Dataset<Row>> a, Supplier<Dataset<Row>> b, Round each) {
    for (int i = 0; i < warmup; i++) {
      run(a);
      run(b);
    }
    for (int i = 0; i < rounds; i++) {
      if (i % 2 == 0) {
        Run ra = run(a);
        each.accept(i, ra, run(b));
      } else {
        Run rb = run(b);
        each.accept(i, run(a), rb);
      }
    }
  }

  /** Plans and runs the query once. */
  static Run run(Supplier<Dataset<Row>> plan) {
    Dataset<Row> query = plan.get();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<Long, Long> before = readingThreadsCpu();
    long jvm = os.getProcessCpuTime();
    List<Row> rows = query.collectAsList();
    jvm = os.getProcessCpuTime() - jvm;
    Map<Long, Long> after = readingThreadsCpu();
    long sum = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return new Run(rows, sum, jvm);
  }

  /** The median, and the least and most in brackets. */
  static String spread(double[] values, String format) {
    double[] s = values.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", s[s.length / 2], s[0], s[s.length - 1]);
  }

  /** Prints the CPU time every thread of the JVM spent in a run of the query, to see where a scan's work runs. */
  static void threads(Dataset<Row> query) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> before = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      before.put(id, mx.getThreadCpuTime(id));
    }
    long t0 = System.nanoTime();
    query.collect();
    System.out.printf(Locale.ROOT, "wall %.1f ms%n", (System.nanoTime() - t0) / 1e6);
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null) {
        long d = mx.getThreadCpuTime(t.getThreadId()) - before.getOrDefault(t.getThreadId(), 0L);
        if (d > 1_000_000) {
          System.out.printf(Locale.ROOT, "  %-60s %.1f ms%n", t.getThreadName(), d / 1e6);
        }
      }
    }
  }

  /**
   * CPU time of each live reading thread. Spark's task threads and the prefetchers live in cached
   * pools that keep a thread for a minute after its last task, longer than a query here takes, so a
   * thread that ends between two snapshots (its time then uncounted) does not happen in practice.
   */
  private static Map<Long, Long> readingThreadsCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new HashMap<>();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      for (String prefix : READING_THREADS) {
        if (t.getThreadName().startsWith(prefix)) {
          long c = mx.getThreadCpuTime(t.getThreadId());
          if (c >= 0) {
            out.put(t.getThreadId(), c);
          }
        }
      }
    }
    return out;
  }
}
