package io.lazyq.lossless;

import java.util.ArrayDeque;
import java.util.function.ToLongFunction;

/**
 * Decoding scratch shared by every thread, reused from one region to the next: a stream's code
 * planes, the copy of its compressed block, a region's decoded zstd blocks. A fresh megabyte per
 * region cost page faults that took its decoding from about 0.6 ms to 2-7 ms of CPU time (PRES of
 * the PM2.5/weather data, 262,920 values). Shared rather than per thread because a Spark reader's
 * prefetch thread opens a chunk's columns and the reading thread closes them. A reader holds the
 * columns of a chunk open together, so the pool keeps several buffers, up to {@link #KEPT_BYTES};
 * one that is never given back is left to the collector.
 */
final class ScratchPool {
  /** Bytes the pool keeps: a few chunks' float columns for each core. */
  private static final long KEPT_BYTES = (16L << 20) * Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final ArrayDeque<byte[]> BYTES = new ArrayDeque<>();
  private static final ArrayDeque<float[]> FLOATS = new ArrayDeque<>();
  private static long kept;

  private ScratchPool() {}

  /** At least {@code size} bytes, of any content, from the pool or new. */
  static byte[] bytes(int size) {
    byte[] b = take(BYTES, size, a -> a.length);
    return b != null ? b : new byte[size];
  }

  /** At least {@code size} floats, of any content, from the pool or new. */
  static float[] floats(int size) {
    float[] f = take(FLOATS, 4L * size, a -> 4L * a.length);
    return f != null ? f : new float[size];
  }

  static void giveBack(byte[] b) {
    keep(BYTES, b, b == null ? 0 : b.length);
  }

  static void giveBack(float[] f) {
    keep(FLOATS, f, f == null ? 0 : 4L * f.length);
  }

  /** The first buffer of at least {@code need} bytes, or null. */
  private static synchronized <T> T take(ArrayDeque<T> pool, long need, ToLongFunction<T> bytes) {
    for (var it = pool.iterator(); it.hasNext(); ) {
      T buffer = it.next();
      long length = bytes.applyAsLong(buffer);
      if (length >= need) {
        it.remove();
        kept -= length;
        return buffer;
      }
    }
    return null;
  }

  /** Keeps the buffer first in line, dropping the oldest while the pool holds more than {@link #KEPT_BYTES}. */
  private static synchronized <T> void keep(ArrayDeque<T> pool, T buffer, long bytes) {
    if (buffer == null || bytes > KEPT_BYTES) {
      return;
    }
    pool.push(buffer);
    kept += bytes;
    while (kept > KEPT_BYTES) {
      ArrayDeque<?> from = BYTES.size() >= FLOATS.size() ? BYTES : FLOATS;
      Object dropped = from.removeLast();
      kept -= dropped instanceof byte[] ? ((byte[]) dropped).length : 4L * ((float[]) dropped).length;
    }
  }
}
