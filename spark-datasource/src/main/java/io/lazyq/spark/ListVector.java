package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.vectorized.ColumnarArray;

/**
 * A quantized list column: each row is a {@link ColumnarArray} over the element vector, whose window is the
 * batch's elements; so a quantized element vector dequantizes the batch's elements at once.
 */
final class ListVector extends ChunkVector {
  private final ChunkVector elements;
  private ByteBuffer offsets;
  private int firstElement;

  ListVector(ArrayType type, ChunkVector elements) {
    super(type, false);
    this.elements = elements;
  }

  @Override
  void bind(ColumnView view) {
    super.bind(view);
    offsets = view.offsetsBuffer();
    elements.bind(view);
  }

  @Override
  void window(int first, int rows) throws IOException {
    setWindow(first, rows);
    firstElement = offsets.getInt(first << 2);
    elements.window(firstElement, offsets.getInt((first + rows) << 2) - firstElement);
  }

  @Override
  void release() {
    elements.release();
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    if (isNullAt(rowId)) {
      return null;
    }
    int row = start + rowId;
    int from = offsets.getInt(row << 2);
    return new ColumnarArray(elements, from - firstElement, offsets.getInt((row + 1) << 2) - from);
  }
}
