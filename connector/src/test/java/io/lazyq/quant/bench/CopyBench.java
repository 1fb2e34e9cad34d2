package io.lazyq.quant.bench;

import org.openjdk.jmh.annotations.Benchmark;

/** The ceiling for every decoder: a bulk copy of the same {@link DecodeBench#VALUES} float32 values. */
public class CopyBench extends KernelBenchmark {
  private final float[] src = DecodeBench.signal(DecodeBench.VALUES);
  private final float[] out = new float[DecodeBench.VALUES];

  @Benchmark
  public float[] copy() {
    System.arraycopy(src, 0, out, 0, src.length);
    return out;
  }
}
