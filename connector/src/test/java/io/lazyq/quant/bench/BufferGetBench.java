package io.lazyq.quant.bench;

import io.lazyq.quant.Fp16;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The alternative the kernels do not take: Q8_0 decoded with {@code ByteBuffer.get} per byte,
 * straight from the region, against which the copy-to-{@code byte[]} design is measured.
 */
public class BufferGetBench extends KernelBenchmark {
  @Param({"heap", "direct"})
  public String memory;

  private ByteBuffer region;
  private float[] out;

  @Setup(Level.Trial)
  public void setUp() {
    ByteBuffer b = DecodeBench.encodedSignal(QuantType.Q8_0.codec());
    region = memory.equals("heap") ? b : ByteBuffer.allocateDirect(b.limit()).put(b).flip();
    region = region.order(ByteOrder.LITTLE_ENDIAN);
    out = new float[DecodeBench.VALUES];
  }

  @Benchmark
  public float[] q8_0ViaBufferGet() {
    ByteBuffer r = region;
    int blocks = out.length / 32;
    for (int b = 0, at = 0, y = 0; b < blocks; b++, at += 34, y += 32) {
      float d = Fp16.toFloat(r.getShort(at));
      for (int j = 0; j < 32; j++) {
        out[y + j] = r.get(at + 2 + j) * d;
      }
    }
    return out;
  }
}
