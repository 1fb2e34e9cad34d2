package io.lazyq.lazy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader's own account of what it mapped: the evidence that an unselected column is never
 * touched, and that nothing stays mapped after use.
 */
public final class MappingStats {
  private final AtomicLong mappings = new AtomicLong();
  private final AtomicLong bytesMapped = new AtomicLong();
  private final AtomicLong liveBytes = new AtomicLong();
  private final AtomicLong liveMappings = new AtomicLong();

  void mapped(long bytes) {
    mappings.incrementAndGet();
    bytesMapped.addAndGet(bytes);
    liveBytes.addAndGet(bytes);
    liveMappings.incrementAndGet();
  }

  void released(long bytes) {
    liveBytes.addAndGet(-bytes);
    liveMappings.decrementAndGet();
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
