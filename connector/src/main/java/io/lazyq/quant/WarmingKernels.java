package io.lazyq.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

/**
 * The vector kernels, each run on the scalar path until it is compiled ({@link KernelWarming}): a
 * profile of a one-column Q8_0 sum in Spark had 137 of its 172 decode samples in the Vector API's
 * Java fallback; C2 compiled the kernel 1.5 s after its first use. Each kernel is warmed on a few
 * synthetic blocks, and only kernels that are used are: a JVM that decodes Q8_0 alone compiles only
 * that one.
 */
final class WarmingKernels extends Kernels {
  /**
   * Blocks per warming call: few, since the fallback's cost grows with the blocks while C2's
   * thresholds count calls and loop iterations alike.
   */
  private static final int BLOCKS = 2;

  private final Kernels scalar;
  private final Kernels vector;
  private final Executor warmer;

  private final KernelWarming<Kernels> q8_0 = decoder(QuantType.Q8_0, Kernels::decodeQ8_0);
  private final KernelWarming<Kernels> q4_0 = decoder(QuantType.Q4_0, Kernels::decodeQ4_0);
  private final KernelWarming<Kernels> q4_1 = decoder(QuantType.Q4_1, Kernels::decodeQ4_1);
  private final KernelWarming<Kernels> q5_0 = decoder(QuantType.Q5_0, Kernels::decodeQ5_0);
  private final KernelWarming<Kernels> q5_1 = decoder(QuantType.Q5_1, Kernels::decodeQ5_1);
  private final KernelWarming<Kernels> q4_K = decoder(QuantType.Q4_K, Kernels::decodeQ4_K);
  private final KernelWarming<Kernels> q5_K = decoder(QuantType.Q5_K, Kernels::decodeQ5_K);
  private final KernelWarming<Kernels> q2_K = decoder(QuantType.Q2_K, Kernels::decodeQ2_K);
  private final KernelWarming<Kernels> q3_K = decoder(QuantType.Q3_K, Kernels::decodeQ3_K);
  private final KernelWarming<Kernels> q6_K = decoder(QuantType.Q6_K, Kernels::decodeQ6_K);
  private final KernelWarming<Kernels> f16 = halves(QuantType.F16, Kernels::decodeF16);
  private final KernelWarming<Kernels> bf16 = halves(QuantType.BF16, Kernels::decodeBf16);
  private final KernelWarming<Kernels> affine8 = decoder(QuantType.AFFINE8, Kernels::decodeAffine8);
  private final KernelWarming<Kernels> affine4 = decoder(QuantType.AFFINE4, Kernels::decodeAffine4);
  private final KernelWarming<Kernels> bounded = bounded();
  private final KernelWarming<Kernels> encodeQ8_0 = encoder(QuantType.Q8_0, Kernels::encodeQ8_0);
  private final KernelWarming<Kernels> encodeQ4_0 = encoder(QuantType.Q4_0, Kernels::encodeQ4_0);
  private final KernelWarming<Kernels> encodeQ4_1 = encoder(QuantType.Q4_1, Kernels::encodeQ4_1);
  private final KernelWarming<Kernels> encodeBounded = boundedEncoder();
  private final KernelWarming<Kernels> encodeAffine8 = encoder(QuantType.AFFINE8, Kernels::encodeAffine8);
  private final KernelWarming<Kernels> encodeAffine4 = encoder(QuantType.AFFINE4, Kernels::encodeAffine4);
  private final KernelWarming<Kernels> nonFinite;

  /**
   * @param warmer runs each kernel's warming, once, off the caller's thread
   */
  WarmingKernels(Kernels scalar, Kernels vector, Executor warmer) {
    this.scalar = scalar;
    this.vector = vector;
    this.warmer = warmer;
    float[] finite = randomFloats(QuantType.Q8_0.blockSize() * BLOCKS);
    this.nonFinite = new KernelWarming<>("firstNonFinite", k -> k.firstNonFinite(finite, 0, finite.length));
  }

  @Override
  String describe() {
    return vector.describe() + ", each kernel scalar until its vector code is compiled";
  }

  /** Whether the kernel warmed by {@code name} (a quant type's label, or {@code encode q8_0}) runs on vectors now. */
  boolean onVector(String name) {
    for (KernelWarming<Kernels> w : all()) {
      if (w.name().equals(name)) {
        return w.onVector();
      }
    }
    throw new IllegalArgumentException("no kernel " + name);
  }

  /** The kernels to call now for {@code w}: the vector ones once warm, else the scalar ones (warming them at first). */
  private Kernels pick(KernelWarming<Kernels> w) {
    return w.pick(scalar, vector, warmer);
  }

  @Override
  void decodeQ8_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q8_0).decodeQ8_0(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ4_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q4_0).decodeQ4_0(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ4_1(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q4_1).decodeQ4_1(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ5_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q5_0).decodeQ5_0(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ5_1(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q5_1).decodeQ5_1(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ4_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q4_K).decodeQ4_K(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ5_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q5_K).decodeQ5_K(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ2_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q2_K).decodeQ2_K(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ3_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q3_K).decodeQ3_K(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeQ6_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(q6_K).decodeQ6_K(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeF16(byte[] src, int srcOff, int n, float[] dst, int dstOff) {
    pick(f16).decodeF16(src, srcOff, n, dst, dstOff);
  }

  @Override
  void decodeBf16(byte[] src, int srcOff, int n, float[] dst, int dstOff) {
    pick(bf16).decodeBf16(src, srcOff, n, dst, dstOff);
  }

  @Override
  void decodeAffine8(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(affine8).decodeAffine8(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeAffine4(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    pick(affine4).decodeAffine4(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void decodeBounded(byte[] src, int srcOff, int m, float[] dst, int dstOff) {
    pick(bounded).decodeBounded(src, srcOff, m, dst, dstOff);
  }

  @Override
  int encodeQ8_0(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    return pick(encodeQ8_0).encodeQ8_0(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  int encodeQ4_0(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    return pick(encodeQ4_0).encodeQ4_0(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void encodeQ4_1(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    pick(encodeQ4_1).encodeQ4_1(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void encodeBounded(float[] x, int off, int m, float base, float step, int w, byte[] out, int at) {
    pick(encodeBounded).encodeBounded(x, off, m, base, step, w, out, at);
  }

  @Override
  void encodeAffine8(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    pick(encodeAffine8).encodeAffine8(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  void encodeAffine4(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    pick(encodeAffine4).encodeAffine4(src, srcOff, blocks, dst, dstOff);
  }

  @Override
  boolean decodeInPlace(QuantType type, ByteBuffer src, int srcOff, int blocks, float[] dst, int dstOff) {
    // The in-place kernels are warmed with their type's array kernel; until then the caller copies.
    KernelWarming<Kernels> w = type == QuantType.F16 ? f16 : type == QuantType.BF16 ? bf16 : null;
    return w != null && pick(w) == vector && vector.decodeInPlace(type, src, srcOff, blocks, dst, dstOff);
  }

  @Override
  int firstNonFinite(float[] x, int off, int n) {
    return pick(nonFinite).firstNonFinite(x, off, n);
  }

  private List<KernelWarming<Kernels>> all() {
    return List.of(q8_0, q4_0, q4_1, q5_0, q5_1, q4_K, q5_K, q2_K, q3_K, q6_K, f16, bf16, affine8, affine4,
        bounded, encodeQ8_0, encodeQ4_0, encodeQ4_1, encodeBounded, encodeAffine8, encodeAffine4, nonFinite);
  }

  /** A decode kernel's signature. */
  private interface Decode {
    void run(Kernels k, byte[] src, int srcOff, int blocks, float[] dst, int dstOff);
  }

  /** An encode kernel's signature. */
  private interface Encode {
    void run(Kernels k, float[] src, int srcOff, int blocks, byte[] dst, int dstOff);
  }

  /** Warms {@code kernel} of a block type on {@link #BLOCKS} blocks of arbitrary bytes (fixed seed). */
  private static KernelWarming<Kernels> decoder(QuantType type, Decode kernel) {
    int values = BLOCKS * type.blockSize();
    byte[] src = randomBytes((int) type.byteSize(values));
    float[] dst = new float[values];
    return new KernelWarming<>(type.label(), k -> kernel.run(k, src, 0, BLOCKS, dst, 0));
  }

  /**
   * Warms the error-bounded decoder on two quantized blocks of 128 arbitrary codes, of an odd and an
   * even width, with a finite base and step.
   */
  private static KernelWarming<Kernels> bounded() {
    int[] widths = {7, 12};
    byte[] src = new byte[widths.length * BoundedBlockDecoder.readSpan(ErrorBoundedCodec.MAX_WIDTH)];
    int[] at = new int[widths.length];
    SplittableRandom random = new SplittableRandom(widths.length);
    for (int k = 0, p = 0; k < widths.length; p += BoundedBlockDecoder.readSpan(widths[k]), k++) {
      at[k] = p;
      src[p] = (byte) widths[k];
      LittleEndian.putFloat(src, p + 1, (float) random.nextDouble(-4, 4));
      LittleEndian.putFloat(src, p + 5, (float) random.nextDouble(0x1p-10, 0x1p-5));
      for (int i = p + 9; i < p + BoundedBlockDecoder.readSpan(widths[k]); i++) {
        src[i] = (byte) random.nextInt();
      }
    }
    float[] dst = new float[ErrorBoundedCodec.BLOCK];
    return new KernelWarming<>(QuantType.ERROR_BOUNDED.label(), k -> {
      for (int p : at) {
        k.decodeBounded(src, p, dst.length, dst, 0);
      }
    });
  }

  /** Warms the error-bounded encoder's codes on a block of values from -4 to 4, at a 10-bit step. */
  private static KernelWarming<Kernels> boundedEncoder() {
    float[] x = randomFloats(ErrorBoundedCodec.BLOCK);
    byte[] out = new byte[BoundedBlockDecoder.readSpan(ErrorBoundedCodec.MAX_WIDTH)];
    return new KernelWarming<>("encode " + QuantType.ERROR_BOUNDED.label(),
        k -> k.encodeBounded(x, 0, x.length, -4f, 0x1p-7f, 10, out, 9));
  }

  /**
   * Warms {@code kernel} of 16-bit floats, with the same type's in-place kernel over a direct buffer
   * where there is one (where there is none, the caller's copy and a second array call stand in).
   */
  private static KernelWarming<Kernels> halves(QuantType type, Decode kernel) {
    int values = 32 * BLOCKS;
    byte[] src = randomBytes(2 * values);
    ByteBuffer direct = ByteBuffer.allocateDirect(src.length).order(ByteOrder.LITTLE_ENDIAN).put(src).flip();
    float[] dst = new float[values];
    return new KernelWarming<>(type.label(), k -> {
      kernel.run(k, src, 0, values, dst, 0);
      if (!k.decodeInPlace(type, direct, 0, values, dst, 0)) {
        kernel.run(k, src, 0, values, dst, 0);
      }
    });
  }

  private static KernelWarming<Kernels> encoder(QuantType type, Encode kernel) {
    float[] src = randomFloats(BLOCKS * type.blockSize());
    byte[] dst = new byte[(int) type.byteSize(src.length)];
    return new KernelWarming<>("encode " + type.label(), k -> kernel.run(k, src, 0, BLOCKS, dst, 0));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SplittableRandom(n).nextBytes(b);
    return b;
  }

  private static float[] randomFloats(int n) {
    SplittableRandom random = new SplittableRandom(n);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextDouble(-4, 4);
    }
    return x;
  }
}
