package io.lazyq.arrow;

import io.lazyq.format.ColumnView;
import io.lazyq.format.RowBlocks;
import org.apache.arrow.vector.VarBinaryVector;

/** Loads a range of a quantized column's rows as {@link RowBlocks}: each row the blocks that start in it. */
final class RowBlockLoader {
  private RowBlockLoader() {}

  /** Returns the bytes copied. */
  static long load(ColumnView view, int first, int count, VarBinaryVector vector) {
    RowBlocks blocks = new RowBlocks(view);
    long bytes = 0;
    for (int r = 0; r < count; r++) {
      bytes += blocks.length(first + r);
    }
    // Copied: blocks are a small part of a mixed export's bytes, and a copy is free of the chunk's mapping.
    vector.clear();
    vector.allocateNew(Math.max(bytes, 1), count);
    for (int r = 0; r < count; r++) {
      if (blocks.hasBlocks(first + r)) {
        vector.set(r, blocks.get(first + r));
      } else {
        vector.setNull(r);
      }
    }
    vector.setValueCount(count);
    return bytes;
  }
}
