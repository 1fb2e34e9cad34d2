package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import java.io.IOException;

/** The chunks of one input partition, one at a time, with views of the selected columns. */
interface ChunkSource extends AutoCloseable {

  /** Moves to the next chunk, releasing the previous chunk's views; false at the end. */
  boolean next() throws IOException;

  int rows();

  /** The view of selected column {@code i} of the current chunk. */
  ColumnView column(int i);

  long bytesMapped();

  long bytesStreamed();

  @Override
  void close() throws IOException;
}
