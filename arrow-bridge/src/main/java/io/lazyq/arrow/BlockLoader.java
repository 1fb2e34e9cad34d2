package io.lazyq.arrow;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.ColumnView;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/** Loads a range of a quantized column's blocks, as they are stored, into a {@link QuantizedType} vector. */
final class BlockLoader {
  private BlockLoader() {}

  /** Blocks in the view, checked against the bytes that hold them. */
  static int blocks(ColumnView view) throws LazyQFormatException {
    QuantType type = view.field().encoding().quant();
    if (type == null || !type.isFixedSize()) {
      throw new IllegalArgumentException("column '" + view.field().name() + "' has no fixed-size blocks");
    }
    long blocks = type.blockCount(view.chunk().valueCount());
    long bytes = view.valuesBuffer().limit();
    if (blocks * type.blockBytes() != bytes) {
      throw Slices.corrupt(view, blocks + " " + type.label() + " blocks need " + blocks * type.blockBytes()
          + " bytes, the column holds " + bytes);
    }
    return (int) blocks;
  }

  /** Returns the bytes wrapped. */
  static long load(ColumnView view, int first, int count, FieldVector vector, BufferAllocator allocator)
      throws LazyQFormatException {
    int blocks = blocks(view);
    if (first < 0 || count < 0 || (long) first + count > blocks) {
      throw new IllegalArgumentException("blocks [" + first + ", +" + count + ") of " + blocks);
    }
    int size = view.field().encoding().quant().blockBytes();
    ByteBuffer slice = Slices.range(view, view.valuesBuffer(), (long) first * size, (long) count * size, "blocks");
    ArrowBuf data = ZeroCopy.wrap(allocator, view, slice);
    try {
      vector.loadFieldBuffers(new ArrowFieldNode(count, 0), List.of(allocator.getEmpty(), data));
    } finally {
      data.close();
    }
    return slice.remaining();
  }
}
