package io.lazyq.lossless;

import java.util.ArrayDeque;

/**
 * Decoding scratch shared by every thread, reused from one region to the next: a stream's code
 * planes and the copy of its compressed block. A fresh megabyte per region cost page faults that
 * took its decoding from about 0.6 ms to 2-7 ms of CPU time (PRES of the PM2.5/weather data,
 * 262,920 values). Shared rather than per thread because a Spark reader's prefetch thread opens a
 * chunk's columns and the reading thread closes them. A reader holds the columns of a chunk open
 * together, so the pool keeps several buffers, up to {@link #KEPT_BYTES}; one that is never given
 * back is left to the collector.
 */
final class ScratchPool {
  /** Bytes the pool keeps: a few chunks' float columns for each core. */
  private static final long KEPT_BYTES = (16L << 20) * Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final ArrayDeque<byte[]> BYTES = new ArrayDeque<>();
  private static long kept;

  private ScratchPool() {}

  /** At least {@code size} bytes, of any content, from the pool or new. */
  static byte[] bytes(int size) {
    byte[] b = take(size);
    return b != null ? b : new byte[size];
  }

  /** Keeps the buffer first in line, dropping the oldest while the pool holds more than {@link #KEPT_BYTES}. */
  static synchronized void giveBack(byte[] b) {
    if (b == null || b.length > KEPT_BYTES) {
      return;
    }
    BYTES.push(b);
    kept += b.length;
    while (kept > KEPT_BYTES) {
      kept -= BYTES.removeLast().length;
    }
  }

  /** The first buffer of at least {@code need} bytes, or null. */
  private static synchronized byte[] take(int need) {
    for (var it = BYTES.iterator(); it.hasNext(); ) {
      byte[] buffer = it.next();
      if (buffer.length >= need) {
        it.remove();
        kept -= buffer.length;
        return buffer;
      }
    }
    return null;
  }
}
