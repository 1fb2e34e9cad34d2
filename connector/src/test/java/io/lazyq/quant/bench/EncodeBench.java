package io.lazyq.quant.bench;

import io.lazyq.quant.BlockCodec;
import io.lazyq.quant.ErrorBoundedCodec;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The encoders checked byte for byte against ggml, and LazyQ's sensor encoders ({@code error_bounded}
 * with a bound of 1e-3, as {@link DecodeBench}), on {@link DecodeBench#VALUES} float32 inputs per call.
 */
public class EncodeBench extends KernelBenchmark {
  @Param({"q8_0", "q4_0", "q4_1", "affine8", "affine4", "error_bounded"})
  public String type;

  private BlockCodec codec;
  private float[] src;
  private ByteBuffer encoded;

  @Setup(Level.Trial)
  public void setUp() {
    QuantType t = QuantType.byLabel(type).orElseThrow();
    codec = t == QuantType.ERROR_BOUNDED ? ErrorBoundedCodec.withBound(1e-3) : t.codec();
    src = DecodeBench.signal(DecodeBench.VALUES);
    encoded = ByteBuffer.allocate((int) codec.maxEncodedBytes(src.length));
  }

  /** On the scalar kernels. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xmx1g", SCALAR})
  public ByteBuffer scalar() {
    return encode();
  }

  /** On the vector kernels. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xmx1g", VECTOR, VECTOR_REQUIRED})
  public ByteBuffer vector() {
    return encode();
  }

  private ByteBuffer encode() {
    encoded.clear();
    codec.encode(src, 0, src.length, encoded);
    return encoded;
  }
}
