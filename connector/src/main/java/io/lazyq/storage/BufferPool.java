package io.lazyq.storage;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct buffers for fetched ranges, reused across chunks and batches so that a scan does not
 * allocate per chunk. Sizes round up to a power of two (at least 64 KiB), so that buffers of
 * neighbouring sizes serve each other. What the pool keeps idle is bounded; what it hands out by
 * {@link #acquire} is bounded by its users (a reader holds one chunk's columns, plus what it
 * prefetches), and by {@link #tryAcquire} by the pool's limit, held and idle bytes together.
 *
 * <p>Thread-safe. {@link #outstanding()} is the evidence that every buffer came back.
 */
public final class BufferPool {
  private static final int MIN_BYTES = 64 << 10;
  /**
   * Shared by every reader of the process (one per Spark executor): remote readers' fetches, and a
   * local file's decoded column chunks ({@link LocalInputFile.Reader#fetchDecoded}). Its limit is a
   * quarter of the JVM's direct memory (which defaults to the heap's -Xmx), at most 256 MiB, so
   * that a small heap does not fill its direct memory with buffers kept for reuse.
   */
  private static final BufferPool SHARED = new BufferPool(Math.min(256L << 20, maxDirectMemory() / 4));

  private final long limit;
  private final TreeMap<Integer, ArrayDeque<ByteBuffer>> idle = new TreeMap<>();
  private long idleBytes;
  /** Capacity of the buffers handed out and not yet released. */
  private long heldBytes;
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong allocated = new AtomicLong();

  /**
   * @param limit the most bytes kept for reuse (buffers beyond it are left to the collector), and
   *     the most that {@link #tryAcquire} lets the pool hold and keep together
   */
  public BufferPool(long limit) {
    this.limit = limit;
  }

  public static BufferPool shared() {
    return SHARED;
  }

  /**
   * The JVM's limit on direct buffers: {@code -XX:MaxDirectMemorySize}, or where it is not set
   * (0) the heap's maximum, as the JDK itself defaults it.
   */
  static long maxDirectMemory() {
    try {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      long set = Long.parseLong(vm.getVMOption("MaxDirectMemorySize").getValue());
      if (set > 0) {
        return set;
      }
    } catch (RuntimeException | LinkageError e) {
      // Not a HotSpot VM: its default is taken to be the JDK's.
    }
    return Runtime.getRuntime().maxMemory();
  }

  /**
   * A cleared direct buffer of at least {@code bytes}, its limit set to {@code bytes}. If the JVM
   * is out of direct memory, the idle buffers are dropped before the error is thrown.
   */
  public ByteBuffer acquire(int bytes) {
    return take(bytes, false);
  }

  /**
   * As {@link #acquire}, or {@code null} where the buffer would take the pool's held and idle bytes
   * past its limit, or the JVM is out of direct memory (the idle buffers are then dropped): the
   * caller reads the bytes some other way.
   */
  public ByteBuffer tryAcquire(int bytes) {
    return take(bytes, true);
  }

  private ByteBuffer take(int bytes, boolean bounded) {
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
      } else if (bounded && heldBytes + idleBytes + size > limit) {
        return null;
      }
      heldBytes += size;
    }
    if (b == null) {
      try {
        b = ByteBuffer.allocateDirect(size);
      } catch (OutOfMemoryError e) {
        synchronized (this) {
          heldBytes -= size;
          idle.clear();
          idleBytes = 0;
        }
        if (bounded) {
          return null;
        }
        throw e;
      }
      allocated.incrementAndGet();
    }
    outstanding.incrementAndGet();
    return b.clear().limit(bytes);
  }

  /** Takes a buffer back from {@link #acquire}; the caller must not touch it afterwards. */
  public void release(ByteBuffer b) {
    outstanding.decrementAndGet();
    synchronized (this) {
      heldBytes -= b.capacity();
      if (idleBytes + b.capacity() <= limit) {
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
