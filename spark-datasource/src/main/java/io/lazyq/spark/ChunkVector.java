package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A column vector over one column of one chunk, reused for every batch of a partition: the reader
 * {@linkplain #bind binds} each chunk's view and {@linkplain #window moves} the batch window. Row
 * {@code r} of a batch is row {@code start + r} of the chunk.
 *
 * <p>The reader owns every vector: {@link #close()} does nothing, so that {@code ColumnarBatch.close()}
 * never frees what the next batch reuses. The bytes belong to the view, which the reader releases
 * when it moves to the next chunk.
 */
abstract class ChunkVector extends ColumnVector {
  /** Whether this vector holds list elements, which are never null, rather than rows. */
  final boolean elements;
  private ByteBuffer validity;
  int start;
  int count;
  private int nulls = -1;

  ChunkVector(DataType type, boolean elements) {
    super(type);
    this.elements = elements;
  }

  /** Binds a new chunk's column; the view stays valid until the reader moves on. */
  void bind(ColumnView view) {
    validity = elements ? null : view.validityBuffer();
    start = 0;
    count = 0;
    nulls = -1;
  }

  /**
   * Hands over the bound column's values, dequantized ahead of the reader; only vectors that
   * dequantize take them.
   */
  void dequantized(float[] values) {
    throw new IllegalStateException(getClass().getSimpleName() + " does not dequantize");
  }

  /** Makes rows {@code [first, first + rows)} of the chunk this vector's batch. */
  void window(int first, int rows) throws IOException {
    setWindow(first, rows);
  }

  final void setWindow(int first, int rows) {
    start = first;
    count = rows;
    nulls = -1;
  }

  /** Frees what the vector holds across batches; the reader calls it once, at its end. */
  void release() {}

  @Override
  public void close() {
    // owned by the reader; see the class comment
  }

  @Override
  public boolean hasNull() {
    return numNulls() > 0;
  }

  @Override
  public int numNulls() {
    if (nulls < 0) {
      int n = 0;
      if (validity != null) {
        for (int r = 0; r < count; r++) {
          n += isNullAt(r) ? 1 : 0;
        }
      }
      nulls = n;
    }
    return nulls;
  }

  @Override
  public boolean isNullAt(int rowId) {
    int row = start + rowId;
    return validity != null && (validity.get(row >>> 3) & (1 << (row & 7))) == 0;
  }

  @Override
  public boolean getBoolean(int rowId) {
    throw unsupported();
  }

  @Override
  public byte getByte(int rowId) {
    throw unsupported();
  }

  @Override
  public short getShort(int rowId) {
    throw unsupported();
  }

  @Override
  public int getInt(int rowId) {
    throw unsupported();
  }

  @Override
  public long getLong(int rowId) {
    throw unsupported();
  }

  @Override
  public float getFloat(int rowId) {
    throw unsupported();
  }

  @Override
  public double getDouble(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnarMap getMap(int ordinal) {
    throw unsupported();
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    throw unsupported();
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    throw unsupported();
  }

  @Override
  public byte[] getBinary(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    throw unsupported();
  }

  private UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException(getClass().getSimpleName() + " of " + dataType().simpleString());
  }
}
