package io.lazyq.quant.bench;

import io.lazyq.quant.BlockCodec;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
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

/** The encoders checked byte for byte against ggml, on {@link DecodeBench#VALUES} float32 inputs per call. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EncodeBench {
  @Param({"q8_0", "q4_0"})
  public String type;

  private BlockCodec codec;
  private float[] src;
  private ByteBuffer encoded;

  @Setup(Level.Trial)
  public void setUp() {
    codec = QuantType.byLabel(type).orElseThrow().codec();
    src = DecodeBench.signal(DecodeBench.VALUES);
    encoded = ByteBuffer.allocate((int) codec.maxEncodedBytes(src.length));
  }

  @Benchmark
  public ByteBuffer encode() {
    encoded.clear();
    codec.encode(src, 0, src.length, encoded);
    return encoded;
  }
}
