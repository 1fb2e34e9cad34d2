package io.lazyq.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The inner loops of the block codecs, over whole blocks in heap arrays. Two implementations give
 * the same bits for every input: {@link ScalarKernels}, plain Java, and {@code VectorKernels},
 * written with the Vector API ({@code jdk.incubator.vector}), which Spark's launcher makes readable
 * in every driver and executor JVM, in one of two subclasses by JDK: {@code BufferVectorKernels}
 * on 17 and 18, {@code ConvertingVectorKernels} from 19. {@link #SELECTED} is chosen once, when
 * this class loads, and one log line names it.
 *
 * <p>{@link KernelChoice} makes the choice (system property {@code lazyq.kernels}) as it does for
 * the lossless streams' kernels: {@code auto} (the default) takes the vector kernels, each on the
 * scalar path until it is compiled ({@link WarmingKernels}); {@code vector} the vector kernels from
 * their first call; {@code scalar} the scalar ones.
 */
abstract class Kernels {
  /** The vector kernels that also read direct buffers in place, for a Vector API with {@code ByteVector.fromByteBuffer}. */
  private static final String BUFFER_VECTOR_CLASS = "io.lazyq.quant.BufferVectorKernels";
  /** The vector kernels for later JDKs, whose C2 compiles the float-to-int conversion. */
  private static final String CONVERTING_VECTOR_CLASS = "io.lazyq.quant.ConvertingVectorKernels";

  /** The kernels every codec uses. */
  static final Kernels SELECTED = select();

  /** A short description for the log: the path and, for vectors, their width. */
  abstract String describe();

  @Override
  public String toString() {
    return describe();
  }

  /** ggml's Q8_0: per 32 values, fp16 {@code d} and 32 int8; value = q * d. */
  abstract void decodeQ8_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  /** ggml's Q4_0 ({@link Q4_0Codec} has the layout). */
  abstract void decodeQ4_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  abstract void decodeQ4_1(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  abstract void decodeQ5_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  abstract void decodeQ5_1(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  abstract void decodeQ4_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  abstract void decodeQ5_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  /** ggml's Q2_K ({@link Q2_KCodec} has the layout). */
  abstract void decodeQ2_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  /** ggml's Q3_K ({@link Q3_KCodec} has the layout). */
  abstract void decodeQ3_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  /** ggml's Q6_K ({@link Q6_KCodec} has the layout). */
  abstract void decodeQ6_K(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  /** {@code n} IEEE halves, as {@link Fp16#toFloat}. */
  abstract void decodeF16(byte[] src, int srcOff, int n, float[] dst, int dstOff);

  /** {@code n} bfloat16s, as {@link Bf16#toFloat}. */
  abstract void decodeBf16(byte[] src, int srcOff, int n, float[] dst, int dstOff);

  /** {@link AffineCodec}'s 8-bit blocks of 64. */
  abstract void decodeAffine8(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  /** {@link AffineCodec}'s 4-bit blocks of 64. */
  abstract void decodeAffine4(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  /**
   * The values of one quantized {@link ErrorBoundedCodec} block, whose width byte (1 to 16) is at
   * {@code src[srcOff]}: the first {@code m} rounded up to a multiple of 8 (room {@code dst} must
   * have), each {@code (float) ((double) base + (double) step * q)}. {@code src} holds
   * {@link BoundedBlockDecoder#readSpan} bytes from {@code srcOff}.
   */
  abstract void decodeBounded(byte[] src, int srcOff, int m, float[] dst, int dstOff);

  /**
   * The codes of a quantized {@link ErrorBoundedCodec} block of width {@code w} (1 to 16): for each
   * of the finite values {@code x[off, off + m)}, all at least {@code base}, the code whose decoded
   * value is nearest ({@link ScalarKernels#nearestBoundedCode}), packed from {@code out[at]}, which
   * has room for {@link BoundedBlockDecoder#SLACK} bytes more than the codes.
   */
  abstract void encodeBounded(float[] x, int off, int m, float base, float step, int w, byte[] out, int at);

  /** {@link AffineCodec}'s encoder over whole 8-bit blocks of finite values. */
  abstract void encodeAffine8(float[] src, int srcOff, int blocks, byte[] dst, int dstOff);

  /** {@link AffineCodec}'s encoder over whole 4-bit blocks of finite values. */
  abstract void encodeAffine4(float[] src, int srcOff, int blocks, byte[] dst, int dstOff);

  /**
   * ggml's {@code quantize_row_q8_0_ref} over whole blocks, refusing NaN and infinity as it goes:
   * -1 when every block was finite and is written, else the index of the first block that holds a
   * NaN or an infinity (and which blocks were written is not said).
   */
  abstract int encodeQ8_0(float[] src, int srcOff, int blocks, byte[] dst, int dstOff);

  /** ggml's {@code quantize_row_q4_0_ref} over whole blocks, refusing NaN and infinity as {@link #encodeQ8_0}. */
  abstract int encodeQ4_0(float[] src, int srcOff, int blocks, byte[] dst, int dstOff);

  /** ggml's {@code quantize_row_q4_1_ref} over whole blocks of finite values. */
  abstract void encodeQ4_1(float[] src, int srcOff, int blocks, byte[] dst, int dstOff);

  /**
   * Decodes {@code blocks} whole blocks of {@code type} straight from {@code src}, a little-endian
   * buffer without an array (a mapping), if these kernels can; false leaves the caller to copy the
   * bytes into an array first. Only the vector kernels of JDKs whose Vector API loads from
   * buffers can (17 and 18; later ones load from {@code MemorySegment}s), for f16 and bf16.
   */
  boolean decodeInPlace(QuantType type, ByteBuffer src, int srcOff, int blocks, float[] dst, int dstOff) {
    return false;
  }

  /** The index in {@code x[off, off + n)} of the first NaN or infinity, relative to {@code off}; -1 if none. */
  int firstNonFinite(float[] x, int off, int n) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(x[off + i])) {
        return i;
      }
    }
    return -1;
  }

  /** The vector kernels, if this JVM can run them well (the conditions above). */
  static Optional<Kernels> vector() {
    return KernelChoice.vector(Kernels::vectorClass);
  }

  private static Kernels select() {
    return KernelChoice.<Kernels>select("codec", ScalarKernels::new, Kernels::vectorClass,
        (scalar, vector) -> new WarmingKernels(scalar, vector, KernelWarming.daemonThread()));
  }

  private static String vectorClass() throws ClassNotFoundException {
    return loadsFromBuffers() ? BUFFER_VECTOR_CLASS : CONVERTING_VECTOR_CLASS;
  }

  /** Whether this JDK's {@code ByteVector} has {@code fromByteBuffer} (gone since JDK 19). */
  private static boolean loadsFromBuffers() throws ClassNotFoundException {
    Class<?> bytes = Class.forName("jdk.incubator.vector.ByteVector");
    try {
      bytes.getMethod("fromByteBuffer", Class.forName("jdk.incubator.vector.VectorSpecies"), ByteBuffer.class,
          int.class, ByteOrder.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
