package io.lazyq.spark;

import org.apache.spark.sql.connector.read.streaming.ReadLimit;

/**
 * At most this many chunks, and this many bytes of chunk frames, per micro-batch
 * ({@code maxChunksPerTrigger}, {@code maxBytesPerTrigger}); a micro-batch takes at least one
 * chunk, however many bytes it holds, so that a stream always moves on.
 */
record ChunkBudget(long chunks, long bytes) implements ReadLimit {
  static final ChunkBudget UNLIMITED = new ChunkBudget(Long.MAX_VALUE, Long.MAX_VALUE);

  /** What the options allow: all that is available where neither limits it. */
  static ReadLimit of(LazyQReadConf conf) {
    if (conf.maxChunksPerTrigger() == 0 && conf.maxBytesPerTrigger() == 0) {
      return ReadLimit.allAvailable();
    }
    return new ChunkBudget(conf.maxChunksPerTrigger() > 0 ? conf.maxChunksPerTrigger() : Long.MAX_VALUE,
        conf.maxBytesPerTrigger() > 0 ? conf.maxBytesPerTrigger() : Long.MAX_VALUE);
  }

  /** The budget of a limit that Spark hands back: ours, or none for any other. */
  static ChunkBudget from(ReadLimit limit) {
    return limit instanceof ChunkBudget b ? b : UNLIMITED;
  }

  /** What one micro-batch has left of this budget as it takes chunks. */
  Spending spend() {
    return new Spending();
  }

  final class Spending {
    private long taken;
    private long bytesLeft = bytes;

    /** Whether a chunk of this many frame bytes still fits. */
    boolean fits(long frameBytes) {
      return taken < chunks && (taken == 0 || frameBytes <= bytesLeft);
    }

    /** Whether any chunk was taken. */
    boolean started() {
      return taken > 0;
    }

    void take(long frameBytes) {
      bytesLeft -= Math.min(frameBytes, bytesLeft);
      taken++;
    }
  }
}
