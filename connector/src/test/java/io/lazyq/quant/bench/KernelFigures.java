package io.lazyq.quant.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the kernel benchmarks as JMH's own {@code Main} does (same arguments), then writes their
 * figures to {@code <bench.out>/kernels-jdk<N>.tsv}, one row per benchmark: kernel, memory, values
 * per call, path (scalar or vector), JDK, GB/s of float32 from CPU time (of the benchmark threads
 * in the median iteration with {@link ThreadCpuProfiler}, else of the JVM with JMH's
 * {@code perfnorm} profiler and its {@code task-clock} event, else empty) and GB/s from
 * wall-clock time (JMH's mean).
 */
public final class KernelFigures {
  private KernelFigures() {}

  public static void main(String[] args) throws CommandLineOptionException, RunnerException, IOException {
    Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
    String jdk = Runtime.version().feature() + "";
    Path tsv = Path.of(System.getProperty("bench.out", "target"), "kernels-jdk" + jdk + ".tsv");
    Files.createDirectories(tsv.getParent());
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(tsv))) {
      out.println("kernel\tmemory\tvalues\tpath\tjdk\tgbps_cpu\tgbps_wall");
      for (RunResult run : results) {
        var params = run.getParams();
        String benchmark = params.getBenchmark();
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String kernelClass = benchmark.substring(0, benchmark.lastIndexOf('.'));
        String op = kernelClass.endsWith("DecodeBench") ? "decode" : kernelClass.endsWith("EncodeBench") ? "encode"
            : kernelClass.substring(kernelClass.lastIndexOf('.') + 1);
        String type = params.getParam("type");
        String memory = params.getParam("memory");
        String values = params.getParam("values");
        long n = values != null ? Long.parseLong(values) : DecodeBench.VALUES;
        double bytes = 4.0 * n;
        // ms of CPU per call: the median iteration's of the benchmark threads if measured (an
        // iteration still running the Java fallback before C2 compiles a kernel takes 100 times
        // longer, and would swamp a mean), else the mean of the whole JVM's.
        double cpuMs = medianIteration(run, ThreadCpuProfiler.RESULT);
        Result<?> taskClock = run.getSecondaryResults().get("task-clock");
        if (Double.isNaN(cpuMs) && taskClock != null) {
          cpuMs = taskClock.getScore();
        }
        String cpu = Double.isNaN(cpuMs) ? "" : String.format("%.1f", bytes / (cpuMs * 1e-3) / 1e9);
        String wall = String.format("%.1f", bytes * run.getPrimaryResult().getScore() / 1e9);
        out.println(String.join("\t", op + (type != null ? " " + type : ""), memory != null ? memory : "heap",
            Long.toString(n), method, jdk, cpu, wall));
      }
    }
    System.out.println("Kernel figures: " + tsv.toAbsolutePath());
  }

  /** The median over the measurement iterations of secondary result {@code name}; NaN if there is none. */
  private static double medianIteration(RunResult run, String name) {
    double[] scores = run.getBenchmarkResults().stream()
        .flatMap(b -> b.getIterationResults().stream())
        .map(i -> i.getSecondaryResults().get(name))
        .filter(Objects::nonNull)
        .mapToDouble(Result::getScore)
        .sorted()
        .toArray();
    if (scores.length == 0) {
      return Double.NaN;
    }
    int mid = scores.length / 2;
    return scores.length % 2 == 1 ? scores[mid] : (scores[mid - 1] + scores[mid]) / 2;
  }
}
