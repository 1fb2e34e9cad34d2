package io.lazyq.lossless;

import java.util.ArrayDeque;
import java.util.function.ToIntFunction;

/**
 * Decoding scratch per thread, reused from one region to the next: a stream's code planes, the
 * copy of its compressed block, a region's decoded zstd blocks. A fresh megabyte per region cost
 * page faults that took its decoding from about 0.6 ms to 2-7 ms of CPU time (PRES of the
 * PM2.5/weather data, 262,920 values). A reader holds the columns of a chunk open together, so a
 * thread keeps several buffers; one that is never given back is left to the collector.
 */
final class ScratchPool {
  /** Buffers of each type a thread keeps: more than the float columns a query reads together in the benchmarks' tables. */
  private static final int KEPT = 32;
  private static final ThreadLocal<ArrayDeque<byte[]>> BYTES = ThreadLocal.withInitial(ArrayDeque::new);
  private static final ThreadLocal<ArrayDeque<float[]>> FLOATS = ThreadLocal.withInitial(ArrayDeque::new);

  private ScratchPool() {}

  /** At least {@code size} bytes, of any content, from this thread's pool or new. */
  static byte[] bytes(int size) {
    byte[] b = take(BYTES.get(), size, a -> a.length);
    return b != null ? b : new byte[size];
  }

  /** At least {@code size} floats, of any content, from this thread's pool or new. */
  static float[] floats(int size) {
    float[] f = take(FLOATS.get(), size, a -> a.length);
    return f != null ? f : new float[size];
  }

  private static <T> T take(ArrayDeque<T> pool, int size, ToIntFunction<T> length) {
    for (var it = pool.iterator(); it.hasNext(); ) {
      T buffer = it.next();
      if (length.applyAsInt(buffer) >= size) {
        it.remove();
        return buffer;
      }
    }
    return null;
  }

  static void giveBack(byte[] b) {
    keep(BYTES.get(), b);
  }

  static void giveBack(float[] f) {
    keep(FLOATS.get(), f);
  }

  /** Keeps the newest buffers: the one given back goes first in line, the oldest is dropped when the pool is full. */
  private static <T> void keep(ArrayDeque<T> pool, T buffer) {
    if (buffer != null) {
      if (pool.size() >= KEPT) {
        pool.removeLast();
      }
      pool.push(buffer);
    }
  }
}
