package io.lazyq.quant.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * CPU time of the benchmark's own threads per operation ({@code -prof
 * io.lazyq.quant.bench.ThreadCpuProfiler}), result {@code thread-cpu} in ms/op. Unlike
 * {@code perfnorm}'s {@code task-clock}, which counts the whole JVM, it leaves out the JIT
 * compiler's and the collector's threads, which on a loaded machine still compile a kernel
 * seconds into the run; and unlike wall-clock time it leaves out the time other processes run.
 */
public final class ThreadCpuProfiler implements InternalProfiler {
  public static final String RESULT = "thread-cpu";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private long before;

  @Override
  public String getDescription() {
    return "CPU time of the JMH worker threads per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    before = workerCpuNanos();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long ops = result.getMetadata().getAllOps();
    if (iterationParams.getType() != IterationType.MEASUREMENT || ops == 0) {
      return List.of();
    }
    double msPerOp = (workerCpuNanos() - before) / 1e6 / ops;
    return List.of(new ScalarResult(RESULT, msPerOp, "ms/op", AggregationPolicy.AVG));
  }

  /** The workers' threads live for the whole fork, so the difference over an iteration is its CPU time. */
  private long workerCpuNanos() {
    long sum = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("jmh-worker")) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }
}
