package io.lazyq.quant.bench;

import io.lazyq.quant.Fp16;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The alternative the kernels do not take: Q8_0 decoded with {@code ByteBuffer.get} per byte,
 * straight from the region, against which the copy-to-{@code byte[]} design is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class BufferGetBench {
  @Param({"heap", "direct"})
  public String memory;

  private ByteBuffer region;
  private float[] out;

  @Setup(Level.Trial)
  public void setUp() {
    float[] src = DecodeBench.signal(DecodeBench.VALUES);
    ByteBuffer b = ByteBuffer.allocate((int) QuantType.Q8_0.byteSize(src.length)).order(ByteOrder.LITTLE_ENDIAN);
    QuantType.Q8_0.codec().encode(src, 0, src.length, b);
    b.flip();
    region = memory.equals("heap") ? b : ByteBuffer.allocateDirect(b.limit()).put(b).flip();
    region = region.order(ByteOrder.LITTLE_ENDIAN);
    out = new float[src.length];
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
