package io.lazyq.quant.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every kernel benchmark shares (JMH inherits them): throughput in calls per second,
 * each call handling a known number of float32 values (DecodeBench: its {@code values} parameter),
 * so GB/s = score * 4 * values / 1e9.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class KernelBenchmark {
  /** JVM options of a fork on the scalar kernels. */
  static final String SCALAR = "-Dlazyq.kernels=scalar";
  /** JVM options of a fork on the vector kernels, with the module readable as Spark's launcher makes it. */
  static final String VECTOR = "--add-modules=jdk.incubator.vector";
  /** Fails the fork rather than measuring the scalar kernels under the vector name. */
  static final String VECTOR_REQUIRED = "-Dlazyq.kernels=vector";
}
