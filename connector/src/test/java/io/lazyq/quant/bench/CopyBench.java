package io.lazyq.quant.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The ceiling for every decoder: a bulk copy of the same {@link DecodeBench#VALUES} float32 values. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CopyBench {
  private final float[] src = DecodeBench.signal(DecodeBench.VALUES);
  private final float[] out = new float[DecodeBench.VALUES];

  @Benchmark
  public float[] copy() {
    System.arraycopy(src, 0, out, 0, src.length);
    return out;
  }
}
