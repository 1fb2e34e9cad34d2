package io.lazyq.spark;

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

  @Override
  void close() throws IOException;
}
