package io.lazyq.quant;

import static jdk.incubator.vector.VectorOperators.LSHL;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernels, also reading f16 and bf16 straight from a direct buffer (a mapping) with
 * {@code ByteVector.fromByteBuffer}, where the others copy the bytes into a heap array a chunk at
 * a time. That method exists in the incubator module of JDK 17 and 18 only ({@link Kernels} loads
 * this class there), so a later JVM never links these calls. The lane arithmetic is
 * {@link VectorKernels}', so the bits are the same.
 *
 * <p>Measured on JDK 17 (CPU time, 2^18 values per call from a direct buffer): f16 36 GB/s in
 * place against 16 copied, bf16 42 against 34; but q8_0 31 against 44 and q4_0 35 against 40, so
 * those two are copied: every buffer load re-reads the buffer's address and limit and checks its
 * bounds, once per 16 codes for them against once per 16 values here.
 */
final class BufferVectorKernels extends VectorKernels {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  @Override
  String describe() {
    return super.describe().replace(")", ", direct buffers read in place)");
  }

  @Override
  boolean decodeInPlace(QuantType type, ByteBuffer src, int srcOff, int blocks, float[] dst, int dstOff) {
    if (src.order() != LE) {
      return false;
    }
    switch (type) {
      case F16:
        decodeF16(src, srcOff, blocks, dst, dstOff);
        return true;
      case BF16:
        decodeBf16(src, srcOff, blocks, dst, dstOff);
        return true;
      default:
        return false;
    }
  }

  /** Values per call of the f16 kernel when a caller asks for more at once. */
  static final int F16_SLICE = 4096;

  /**
   * f16 from a heap array in slices of {@link #F16_SLICE} values, each through the same kernel.
   * On JDK 17, with the kernel inlined into a caller that decodes 2^18 values per call (JMH's
   * {@code DecodeBench}), C2 kept a loop value in an XMM register and moved it back every
   * iteration ({@code UseFPUForSpilling}; docs/BENCHMARKS.md has the loop): 19-35 GB/s, where
   * 4096 values per call ran at about 50. Sliced, 2^18 per call ran at 33-53 GB/s (46-53 in five
   * runs of seven); slices of 1024 and 2048 measured alike, of 16384 as slow as before. Later JDKs
   * do not load this class.
   */
  @Override
  void decodeF16(byte[] src, int srcOff, int n, float[] dst, int dstOff) {
    for (;;) {
      int m = Math.min(n, F16_SLICE);
      super.decodeF16(src, srcOff, m, dst, dstOff);
      if (m == n) {
        return;
      }
      srcOff += 2 * m;
      dstOff += m;
      n -= m;
    }
  }

  private static ByteVector load(VectorSpecies<Byte> species, ByteBuffer src, int off) {
    return ByteVector.fromByteBuffer(species, src, off, LE);
  }

  private static float half(ByteBuffer src, int off) {
    return Fp16.toFloat(src.getShort(off));
  }

  private static void decodeF16(ByteBuffer src, int srcOff, int n, float[] dst, int dstOff) {
    int i = 0;
    for (; i <= n - L; i += L) {
      widen(halves(src, srcOff + 2 * i)).intoArray(dst, dstOff + i);
    }
    for (; i < n; i++) {
      dst[dstOff + i] = half(src, srcOff + 2 * i);
    }
  }

  private static void decodeBf16(ByteBuffer src, int srcOff, int n, float[] dst, int dstOff) {
    int i = 0;
    for (; i <= n - L; i += L) {
      halves(src, srcOff + 2 * i).lanewise(LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOff + i);
    }
    for (; i < n; i++) {
      dst[dstOff + i] = Bf16.toFloat(src.getShort(srcOff + 2 * i));
    }
  }

  /** L little-endian 16-bit fields, sign-extended into int lanes. */
  private static IntVector halves(ByteBuffer src, int off) {
    return (IntVector) load(B2, src, off).reinterpretAsShorts().castShape(I, 0);
  }
}
