package io.lazyq.quant.bench;

import io.lazyq.quant.BlockCodec;
import io.lazyq.quant.ErrorBoundedCodec;
import io.lazyq.quant.Fp16;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Every decoder on cache-resident data: a region of {@link #VALUES} float32 values (1 MiB of
 * output), decoded {@link #values} values per call. GB/s of float32 output = score (calls/s) * 4 *
 * values / 1e9; {@code docs/BENCHMARKS.md} converts.
 */
public class DecodeBench extends KernelBenchmark {
  public static final int VALUES = 1 << 18;

  /** Offsets of the fp16 scales in each K-quant super-block: random bytes there would be NaN or subnormal. */
  private static final Map<QuantType, int[]> K_SCALES = Map.of(
      QuantType.Q2_K, new int[] {80, 82}, QuantType.Q3_K, new int[] {108},
      QuantType.Q4_K, new int[] {0, 2}, QuantType.Q5_K, new int[] {0, 2}, QuantType.Q6_K, new int[] {208});

  @Param({"f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q2_K", "q3_K", "q4_K", "q5_K",
      "q6_K", "affine8", "affine4", "error_bounded"})
  public String type;

  /** {@code heap}: a wrapped array, read in place; {@code direct}: off-heap, as a mapping is, copied per chunk. */
  @Param({"heap", "direct"})
  public String memory;

  /**
   * Values per call: the whole region at once, or a Spark batch of 4096 rows, where fixed per-call
   * costs show; batches walk through the region in order, as a scan does.
   */
  @Param({"262144", "4096"})
  public int values;

  private BlockCodec codec;
  private ByteBuffer region;
  private float[] src;
  private float[] out;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    QuantType t = QuantType.byLabel(type).orElseThrow();
    src = signal(VALUES);
    out = new float[VALUES];
    BlockCodec encoder = t == QuantType.ERROR_BOUNDED ? ErrorBoundedCodec.withBound(1e-3) : t.codec();
    codec = t.codec();
    byte[] bytes;
    if (encoder.canEncode()) {
      ByteBuffer b = encodedSignal(encoder);
      bytes = Arrays.copyOf(b.array(), b.limit());
    } else {
      bytes = randomKBlocks(t);
    }
    region = memory.equals("heap") ? ByteBuffer.wrap(bytes) : ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    region = region.order(ByteOrder.LITTLE_ENDIAN);
  }

  static float[] signal(int n) {
    SplittableRandom r = new SplittableRandom(42);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (Math.sin(i * 1e-3) * 0.5 + r.nextGaussian() * 0.05);
    }
    return x;
  }

  /** {@link #signal} of {@link #VALUES} values as {@code encoder} writes it, in a heap buffer. */
  static ByteBuffer encodedSignal(BlockCodec encoder) {
    ByteBuffer b = ByteBuffer.allocate((int) encoder.maxEncodedBytes(VALUES)).order(ByteOrder.LITTLE_ENDIAN);
    encoder.encode(signal(VALUES), 0, VALUES, b);
    return b.flip();
  }

  private static byte[] randomKBlocks(QuantType t) {
    byte[] b = new byte[(int) t.byteSize(VALUES)];
    new SplittableRandom(7).nextBytes(b);
    short scale = Fp16.fromFloat(0.01f);
    for (int block = 0; block < b.length; block += t.blockBytes()) {
      for (int at : K_SCALES.get(t)) {
        b[block + at] = (byte) scale;
        b[block + at + 1] = (byte) (scale >> 8);
      }
    }
    return b;
  }

  /** On the scalar kernels. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xmx1g", SCALAR})
  public float[] scalar() {
    return decode();
  }

  /** On the vector kernels (the types without any fall back to the scalar loops). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xmx1g", VECTOR, VECTOR_REQUIRED})
  public float[] vector() {
    return decode();
  }

  private float[] decode() {
    int first = next;
    codec.decode(region, first, values, out, first);
    next = first + values == VALUES ? 0 : first + values;
    return out;
  }
}
