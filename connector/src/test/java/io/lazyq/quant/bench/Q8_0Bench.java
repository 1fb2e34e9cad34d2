package io.lazyq.quant.bench;

import io.lazyq.quant.Fp16;
import io.lazyq.quant.QuantType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Ways to turn Q8_0's signed bytes into floats on JDK 17, where C2 vectorises none of them, all
 * bit-exact with ggml, on a heap array of {@link DecodeBench#VALUES} values. The codec uses
 * {@link #table}; the others are kept to show why.
 */
public class Q8_0Bench extends KernelBenchmark {
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final float[] INT8 = new float[256];

  static {
    for (int b = 0; b < 256; b++) {
      INT8[b] = (byte) b;
    }
  }

  private byte[] src;
  private float[] out;

  @Setup(Level.Trial)
  public void setUp() {
    src = DecodeBench.encodedSignal(QuantType.Q8_0.codec()).array();
    out = new float[DecodeBench.VALUES];
  }

  private float scale(int at) {
    return Fp16.toFloat((short) SHORT.get(src, at));
  }

  /** The byte converted by the JIT: one scalar int-to-float conversion per value. */
  @Benchmark
  public float[] conversion() {
    byte[] s = src;
    float[] dst = out;
    for (int at = 0, y = 0; y < dst.length; at += 34, y += 32) {
      float d = scale(at);
      for (int j = 0; j < 32; j++) {
        dst[y + j] = s[at + 2 + j] * d;
      }
    }
    return dst;
  }

  /** Four bytes per load, sign-extended with shifts, then converted. */
  @Benchmark
  public float[] intLanes() {
    byte[] s = src;
    float[] dst = out;
    for (int at = 0, y = 0; y < dst.length; at += 34, y += 32) {
      float d = scale(at);
      for (int j = 0; j < 32; j += 4) {
        int x = (int) INT.get(s, at + 2 + j);
        dst[y + j] = (float) ((x << 24) >> 24) * d;
        dst[y + j + 1] = (float) ((x << 16) >> 24) * d;
        dst[y + j + 2] = (float) ((x << 8) >> 24) * d;
        dst[y + j + 3] = (float) (x >> 24) * d;
      }
    }
    return dst;
  }

  /** Converted into the output first, then scaled in a second pass that C2 does vectorise. */
  @Benchmark
  public float[] twoPass() {
    byte[] s = src;
    float[] dst = out;
    for (int at = 0, y = 0; y < dst.length; at += 34, y += 32) {
      for (int j = 0; j < 32; j++) {
        dst[y + j] = s[at + 2 + j];
      }
    }
    for (int at = 0, y = 0; y < dst.length; at += 34, y += 32) {
      float d = scale(at);
      for (int j = 0; j < 32; j++) {
        dst[y + j] *= d;
      }
    }
    return dst;
  }

  /** Each byte's value looked up in a 256-entry float table: a load in place of the conversion. */
  @Benchmark
  public float[] table() {
    byte[] s = src;
    float[] dst = out;
    float[] int8 = INT8;
    for (int at = 0, y = 0; y < dst.length; at += 34, y += 32) {
      float d = scale(at);
      for (int j = 0; j < 32; j++) {
        dst[y + j] = int8[s[at + 2 + j] & 0xFF] * d;
      }
    }
    return dst;
  }
}
