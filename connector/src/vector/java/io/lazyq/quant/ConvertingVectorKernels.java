package io.lazyq.quant;

/**
 * The vector kernels for JDKs whose C2 compiles the Vector API's float-to-int conversion to SIMD
 * (since JDK 18, JDK-8277793, for AVX2 and AVX-512; on JDK 17 it runs the Java fallback, about
 * 300 ns per 16 lanes). {@link Kernels} loads this class from JDK 19, where
 * {@link BufferVectorKernels} is not loaded. Only APIs of JDK 17's incubator module are called, so
 * the class compiles with the others.
 *
 * <p>The q8_0 encoder rounds with that conversion: 4 operations per lane where the rounding on sign
 * bits takes 11. On JDK 25 (CPU time, 2^18 values per call, alternating with the other kernels in
 * one JVM) 22.8 GB/s against 19.2 for {@link VectorKernels}' rounding.
 */
final class ConvertingVectorKernels extends VectorKernels {
  @Override
  String describe() {
    return super.describe().replace(")", ", float-to-int conversions)");
  }

  @Override
  boolean convertsFloats() {
    return true;
  }
}
