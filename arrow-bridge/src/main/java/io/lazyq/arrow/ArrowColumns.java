package io.lazyq.arrow;

import io.lazyq.LazyQFormatException;
import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * One column chunk into Arrow vectors, for readers that manage their own batches (a Spark
 * partition reader, say). Over a mapped file's {@link ColumnView} the vectors point into the
 * mapping, and hold it until their buffers are released; over a stream's view they hold copies.
 * Every range is checked against the view before any buffer is made: bad input throws
 * {@link LazyQFormatException} and leaves the allocator untouched.
 */
public final class ArrowColumns {
  private ArrowColumns() {}

  /** The Arrow field of a column; {@code values} (the column's value count, or -1) goes into raw metadata. */
  public static org.apache.arrow.vector.types.pojo.Field arrowField(Field field, QuantizedView view, long values) {
    return ArrowSchemas.field(field, view, values);
  }

  /**
   * Loads rows {@code [firstRow, firstRow + rows)} of a plain column into {@code vector} (made from
   * {@link #arrowField}); {@code firstRow} must be a multiple of 8.
   *
   * @return the bytes of the view the vector now refers to (or copied)
   */
  public static long loadPlain(ColumnView view, int firstRow, int rows, FieldVector vector, BufferAllocator allocator)
      throws LazyQFormatException {
    return PlainLoader.load(view, firstRow, rows, vector, allocator);
  }

  /** Blocks of a quantized column with fixed-size blocks, checked against its bytes. */
  public static int blockCount(ColumnView view) throws LazyQFormatException {
    return BlockLoader.blocks(view);
  }

  /** Loads blocks {@code [firstBlock, firstBlock + blocks)}, as stored, into a {@link QuantizedType} vector. */
  public static long loadBlocks(ColumnView view, int firstBlock, int blocks, FieldVector vector,
      BufferAllocator allocator) throws LazyQFormatException {
    return BlockLoader.load(view, firstBlock, blocks, vector, allocator);
  }
}
