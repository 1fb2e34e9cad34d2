package io.lazyq.spark;

import io.lazyq.storage.MappingStats;
import java.io.Closeable;
import java.io.IOException;

/** The chunks of one input partition, one at a time, with views of the selected columns. */
interface ChunkSource extends Closeable {

  /**
   * The next chunk, or null at the end. The caller closes each chunk; a source that reuses one
   * buffer ({@link StreamedChunks}) also ends a chunk's views when it moves to the next.
   */
  OpenChunk next() throws IOException;

  long bytesMapped();

  long bytesStreamed();

  /** What the source cost in remote storage so far: bytes fetched, requests, waiting. */
  default MappingStats storageStats() {
    return new MappingStats();
  }

  @Override
  void close() throws IOException;
}
