package io.lazyq.storage;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct buffers for fetched ranges, reused across chunks and batches so that a scan does not
 * allocate per chunk. Sizes round up to a power of two (at least 64 KiB), so that buffers of
 * neighbouring sizes serve each other. What the pool keeps idle is bounded; what it hands out is
 * bounded by its users (a reader holds one chunk's columns, plus what it prefetches).
 *
 * <p>Thread-safe. {@link #outstanding()} is the evidence that every buffer came back.
 */
public final class BufferPool {
  private static final int MIN_BYTES = 64 << 10;
  /** Shared by every remote reader of the process (one per Spark executor). */
  private static final BufferPool SHARED = new BufferPool(256L << 20);

  private final long maxIdleBytes;
  private final TreeMap<Integer, ArrayDeque<ByteBuffer>> idle = new TreeMap<>();
  private long idleBytes;
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong allocated = new AtomicLong();

  /** @param maxIdleBytes the most bytes kept for reuse; buffers beyond it are left to the collector */
  public BufferPool(long maxIdleBytes) {
    this.maxIdleBytes = maxIdleBytes;
  }

  public static BufferPool shared() {
    return SHARED;
  }

  /** A cleared direct buffer of at least {@code bytes}, its limit set to {@code bytes}. */
  public ByteBuffer acquire(int bytes) {
    int size = bytes <= MIN_BYTES ? MIN_BYTES : Integer.highestOneBit(bytes - 1) << 1;
    if (size <= 0) {
      size = bytes; // above 1 GiB: exact
    }
    ByteBuffer b = null;
    synchronized (this) {
      ArrayDeque<ByteBuffer> q = idle.get(size);
      if (q != null && !q.isEmpty()) {
        b = q.pop();
        idleBytes -= b.capacity();
      }
    }
    if (b == null) {
      b = ByteBuffer.allocateDirect(size);
      allocated.incrementAndGet();
    }
    outstanding.incrementAndGet();
    return b.clear().limit(bytes);
  }

  /** Takes a buffer back from {@link #acquire}; the caller must not touch it afterwards. */
  public void release(ByteBuffer b) {
    outstanding.decrementAndGet();
    synchronized (this) {
      if (idleBytes + b.capacity() <= maxIdleBytes) {
        idle.computeIfAbsent(b.capacity(), k -> new ArrayDeque<>()).push(b);
        idleBytes += b.capacity();
      }
    }
  }

  /** Buffers handed out and not yet released. */
  public long outstanding() {
    return outstanding.get();
  }

  /** Buffers allocated since the pool was made: what reuse saves shows here. */
  public long allocated() {
    return allocated.get();
  }
}
