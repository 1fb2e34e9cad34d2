package io.lazyq.spark;

import io.lazyq.arrow.ArrowColumns;
import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A plain column as an Arrow vector over the batch's rows, through Spark's {@link ArrowColumnVector}.
 * Over a mapped file the Arrow buffers point into the mapping (no copy) and keep it alive until
 * the next batch replaces them; over a stream they are copies in the task's allocator. This is the
 * one class that supplies plain columns.
 *
 * <p>The reader owns the Arrow vector: each batch reloads its buffers, {@link #close()} (called by
 * {@code ColumnarBatch.close()}) does nothing, and {@link #release()} frees it when the reader ends.
 */
final class ArrowPlainVector extends ChunkVector {
  private final FieldVector vector;
  private final ArrowColumnVector arrow;
  private final BufferAllocator allocator;
  private ColumnView view;

  ArrowPlainVector(DataType type, Field field, BufferAllocator allocator) {
    super(type, false);
    this.allocator = allocator;
    this.vector = ArrowColumns.arrowField(field, QuantizedView.DEQUANTIZED, -1).createVector(allocator);
    this.arrow = new ArrowColumnVector(vector);
  }

  @Override
  void bind(ColumnView columnView) {
    view = columnView;
  }

  /** Conditions for zero-copy slices: {@code first} is a multiple of 8 (batchRows is). */
  @Override
  void window(int first, int rows) throws IOException {
    setWindow(first, rows);
    ArrowColumns.loadPlain(view, first, rows, vector, allocator);
  }

  @Override
  void release() {
    vector.close();
  }

  @Override
  public boolean hasNull() {
    return arrow.hasNull();
  }

  @Override
  public int numNulls() {
    return arrow.numNulls();
  }

  @Override
  public boolean isNullAt(int rowId) {
    return arrow.isNullAt(rowId);
  }

  @Override
  public boolean getBoolean(int rowId) {
    return arrow.getBoolean(rowId);
  }

  @Override
  public int getInt(int rowId) {
    return arrow.getInt(rowId);
  }

  @Override
  public long getLong(int rowId) {
    return arrow.getLong(rowId);
  }

  @Override
  public float getFloat(int rowId) {
    return arrow.getFloat(rowId);
  }

  @Override
  public double getDouble(int rowId) {
    return arrow.getDouble(rowId);
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    return arrow.getUTF8String(rowId);
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    return arrow.getArray(rowId);
  }
}
