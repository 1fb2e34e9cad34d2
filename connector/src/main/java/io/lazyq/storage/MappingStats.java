package io.lazyq.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader's own account of what it mapped: the evidence that an unselected column is never
 * touched, and that nothing stays mapped after use.
 */
public final class MappingStats {
  /** Over every reader in the process, so that a test can tell whether anything was left mapped. */
  private static final AtomicLong PROCESS_LIVE_MAPPINGS = new AtomicLong();
  private static final AtomicLong PROCESS_LIVE_BYTES = new AtomicLong();

  private final AtomicLong mappings = new AtomicLong();
  private final AtomicLong bytesMapped = new AtomicLong();
  private final AtomicLong liveBytes = new AtomicLong();
  private final AtomicLong liveMappings = new AtomicLong();

  void mapped(long bytes) {
    mappings.incrementAndGet();
    bytesMapped.addAndGet(bytes);
    liveBytes.addAndGet(bytes);
    liveMappings.incrementAndGet();
    PROCESS_LIVE_MAPPINGS.incrementAndGet();
    PROCESS_LIVE_BYTES.addAndGet(bytes);
  }

  void released(long bytes) {
    liveBytes.addAndGet(-bytes);
    liveMappings.decrementAndGet();
    PROCESS_LIVE_MAPPINGS.decrementAndGet();
    PROCESS_LIVE_BYTES.addAndGet(-bytes);
  }

  /** Mappings that something still holds, over every file this process opened. */
  public static long processLiveMappings() {
    return PROCESS_LIVE_MAPPINGS.get();
  }

  /** Bytes in those mappings. */
  public static long processLiveBytes() {
    return PROCESS_LIVE_BYTES.get();
  }

  /** Column chunks mapped since the file was opened. */
  public long mappings() {
    return mappings.get();
  }

  /** Bytes mapped since the file was opened. */
  public long bytesMapped() {
    return bytesMapped.get();
  }

  /** Bytes in mappings that something still holds. */
  public long liveBytes() {
    return liveBytes.get();
  }

  /** Mappings that something still holds. */
  public long liveMappings() {
    return liveMappings.get();
  }

  @Override
  public String toString() {
    return "mappings=" + mappings() + " bytesMapped=" + bytesMapped() + " liveBytes=" + liveBytes();
  }
}
