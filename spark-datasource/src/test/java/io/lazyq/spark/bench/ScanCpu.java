package io.lazyq.spark.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.stream.Stream;
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
 *
 * <p>With {@code -Dbench.split=true} (Linux), {@link #alternate} also prints where each query's JVM
 * CPU went, per measured run: every OS thread's on-CPU time ({@code /proc/self/task/<tid>/schedstat},
 * nanoseconds, the JIT compiler's and garbage collector's native threads included), put in a class
 * by the thread's name ({@link #threadClass}).
 */
final class ScanCpu {
  /** Names of the threads a scan's reading runs on: Spark's task threads and the chunk prefetcher's. */
  private static final String[] READING_THREADS = {"Executor task launch worker", "lazyq-prefetch-"};

  private ScanCpu() {}

  /** One run of a query: its result, the CPU nanoseconds of the reading threads and of the whole JVM. */
  record Run(List<Row> rows, long readingNanos, long jvmNanos, Map<String, Long> split) {}

  private static final boolean SPLIT = Boolean.getBoolean("bench.split");

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
    Map<String, Long> splitA = new TreeMap<>();
    Map<String, Long> splitB = new TreeMap<>();
    for (int i = 0; i < rounds; i++) {
      Run ra;
      Run rb;
      if (i % 2 == 0) {
        ra = run(a);
        rb = run(b);
      } else {
        rb = run(b);
        ra = run(a);
      }
      each.accept(i, ra, rb);
      if (SPLIT) {
        ra.split().forEach((k, v) -> splitA.merge(k, v, Long::sum));
        rb.split().forEach((k, v) -> splitB.merge(k, v, Long::sum));
      }
    }
    if (SPLIT) {
      printSplit("first", splitA, rounds);
      printSplit("second", splitB, rounds);
    }
  }

  private static void printSplit(String which, Map<String, Long> split, int rounds) {
    long total = split.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(Locale.ROOT, "JVM CPU per run of the %s query, by thread class: %.1f ms%n", which, total / 1e6 / rounds);
    split.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> System.out.printf(Locale.ROOT, "  %-40s %8.1f ms %5.1f%%%n", e.getKey(), e.getValue() / 1e6 / rounds,
            100.0 * e.getValue() / total));
  }

  /** Plans and runs the query once. */
  static Run run(Supplier<Dataset<Row>> plan) {
    Dataset<Row> query = plan.get();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, Long> osBefore = SPLIT ? osThreadsCpu() : Map.of();
    Map<Long, Long> before = readingThreadsCpu();
    long jvm = os.getProcessCpuTime();
    List<Row> rows = query.collectAsList();
    jvm = os.getProcessCpuTime() - jvm;
    Map<Long, Long> after = readingThreadsCpu();
    Map<String, Long> split = new TreeMap<>();
    if (SPLIT) {
      osThreadsCpu().forEach((thread, ns) -> split.merge(threadClass(thread.substring(thread.indexOf(' ') + 1)),
          ns - osBefore.getOrDefault(thread, 0L), Long::sum));
    }
    long sum = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return new Run(rows, sum, jvm, split);
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

  /** On-CPU nanoseconds of each of the JVM's OS threads, keyed by {@code "<tid> <name>"}. */
  private static Map<String, Long> osThreadsCpu() {
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
          out.put(t.getFileName() + " " + name, ns);
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The class of an OS thread by its name (at most 15 characters, as Linux keeps it). */
  static String threadClass(String name) {
    if (name.startsWith("Executor task")) {
      return "Spark task threads";
    }
    if (name.startsWith("lazyq-")) {
      return "LazyQ " + name.replaceAll("[-#]?\\d+$", "");
    }
    if (name.equals("main") || name.equals("java")) {
      // The launcher runs main() on a thread Linux still calls "java".
      return "driver (main)";
    }
    if (name.startsWith("C2 Compiler") || name.startsWith("C1 Compiler")) {
      return "JIT " + name.substring(0, 2);
    }
    if (name.startsWith("GC ") || name.startsWith("G1 ")) {
      return "GC";
    }
    if (name.startsWith("VM Thread")) {
      return "VM thread (safepoints)";
    }
    if (name.startsWith("JFR") || name.startsWith("Reference") || name.startsWith("Common-Cleaner")
        || name.startsWith("Service Thread") || name.startsWith("VM Periodic") || name.startsWith("Monitor Defl")
        || name.startsWith("Finalizer") || name.startsWith("Signal") || name.startsWith("Sweeper")) {
      return "JVM other (" + name.replaceAll("[-#]?\\d+$", "") + ")";
    }
    return "Spark other (" + name.replaceAll("[-#]?\\d+$", "") + ")";
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
