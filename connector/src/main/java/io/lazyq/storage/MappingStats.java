package io.lazyq.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader's own account of what it mapped or fetched: the evidence that an unselected column is
 * never touched, and that nothing stays held after use. A local file's ranges read into pooled
 * buffers for decoding ({@link LocalInputFile.Reader#fetchDecoded}) count as mapped, as they stand
 * for a mapping. Regions fetched from remote storage count as live while held, like mappings, and
 * add to the fetch counters instead of the mapping ones.
 */
public final class MappingStats {
  /** Over every reader in the process, so that a test can tell whether anything was left mapped. */
  private static final AtomicLong PROCESS_LIVE_MAPPINGS = new AtomicLong();
  private static final AtomicLong PROCESS_LIVE_BYTES = new AtomicLong();

  private final AtomicLong mappings = new AtomicLong();
  private final AtomicLong bytesMapped = new AtomicLong();
  private final AtomicLong liveBytes = new AtomicLong();
  private final AtomicLong liveMappings = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytesFetched = new AtomicLong();
  private final AtomicLong waitNanos = new AtomicLong();

  void mapped(long bytes) {
    copied(bytes);
    held(bytes);
  }

  /** A local file's range read into a pooled buffer rather than mapped: counted as mapped (it is held as a pooled region). */
  void copied(long bytes) {
    mappings.incrementAndGet();
    bytesMapped.addAndGet(bytes);
  }

  /** A request to storage that brought {@code bytes} after {@code nanos} of waiting. */
  void fetched(long bytes, int requestCount, long nanos) {
    requests.addAndGet(requestCount);
    bytesFetched.addAndGet(bytes);
    waitNanos.addAndGet(nanos);
  }

  void held(long bytes) {
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

  /** Ranges of a local file mapped (or read for decoding, {@link LocalInputFile.Reader#fetchDecoded}) since it was opened. */
  public long mappings() {
    return mappings.get();
  }

  /** Bytes of a local file mapped or read for decoding since it was opened. */
  public long bytesMapped() {
    return bytesMapped.get();
  }

  /** Adds another reader's remote fetches to this account. */
  public void addFetches(MappingStats other) {
    fetched(other.bytesFetched(), (int) other.requests(), other.waitNanos());
  }

  /** Read requests sent to remote storage (a vectored read counts its merged ranges). */
  public long requests() {
    return requests.get();
  }

  /** Bytes read from remote storage, metadata included. */
  public long bytesFetched() {
    return bytesFetched.get();
  }

  /** Time spent waiting for remote storage, in nanoseconds. */
  public long waitNanos() {
    return waitNanos.get();
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
    return "mappings=" + mappings() + " bytesMapped=" + bytesMapped() + " requests=" + requests() + " bytesFetched="
        + bytesFetched() + " liveBytes=" + liveBytes();
  }
}
