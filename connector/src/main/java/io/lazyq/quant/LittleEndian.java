package io.lazyq.quant;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian reads and writes of block fields. Kernels work on {@code byte[]} (the JIT turns
 * these view handles into plain loads), and region headers are read from buffers whatever order
 * the buffer was left in.
 */
final class LittleEndian {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  private LittleEndian() {}

  static int u16(byte[] b, int off) {
    return (short) SHORT.get(b, off) & 0xFFFF;
  }

  static int i32(byte[] b, int off) {
    return (int) INT.get(b, off);
  }

  static long i64(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }

  static float f32(byte[] b, int off) {
    return (float) FLOAT.get(b, off);
  }

  static void putShort(byte[] b, int off, short v) {
    SHORT.set(b, off, v);
  }

  static void putInt(byte[] b, int off, int v) {
    INT.set(b, off, v);
  }

  static void putLong(byte[] b, int off, long v) {
    LONG.set(b, off, v);
  }

  static void putFloat(byte[] b, int off, float v) {
    FLOAT.set(b, off, v);
  }

  /** The half at {@code off}, widened. */
  static float f16(byte[] b, int off) {
    return Fp16.toFloat((short) SHORT.get(b, off));
  }

  static int i32(ByteBuffer region, int index) {
    int v = region.getInt(index);
    return region.order() == ByteOrder.LITTLE_ENDIAN ? v : Integer.reverseBytes(v);
  }

  static float f32(ByteBuffer region, int index) {
    return Float.intBitsToFloat(i32(region, index));
  }
}
