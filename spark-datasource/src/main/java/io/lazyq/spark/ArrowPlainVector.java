package io.lazyq.spark;

import io.lazyq.arrow.ArrowColumns;
import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import java.io.IOException;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A plain column as an Arrow vector over the batch's rows. Over a mapped file the Arrow buffers
 * point into the mapping (no copy) and keep it alive until the next batch replaces them; over a
 * stream they are copies in the task's allocator. This is the one class that supplies plain columns.
 *
 * <p>Fixed-width values, strings and their nulls are read from the buffers' addresses, as Spark's
 * {@code OffHeapColumnVector} reads its own; booleans and lists go through Spark's
 * {@link ArrowColumnVector}. Through it, Arrow's bounds, reference-count and null checks on every
 * value halved the rows/s of a scan of float columns. What makes the direct reads safe is checked
 * once per batch (the buffers hold the batch's rows) and once per value (the row is one of the
 * batch's, the width is the vector's, a string lies within the string bytes), before the read.
 *
 * <p>A dictionary-encoded string chunk is not loaded into Arrow: each batch reads the view's
 * dictionary, one {@link UTF8String} per distinct string over a byte array of its own. Spark's hash
 * aggregate calls {@code getBytes()} on every key, which copies a string read from an address into
 * a new array but returns such an array as it is; with the strings read from the Arrow buffers,
 * that copy and one {@link UTF8String} per row were two thirds of the task's samples in a
 * group-by on the string column.
 *
 * <p>The reader owns the Arrow vector: each batch reloads its buffers, {@link #close()} (called by
 * {@code ColumnarBatch.close()}) does nothing, and {@link #release()} frees it when the reader ends.
 */
final class ArrowPlainVector extends ChunkVector {
  private final FieldVector vector;
  private final ArrowColumnVector arrow;
  private final BufferAllocator allocator;
  /** Bytes per value of a fixed-width vector, 0 for the others. */
  private final int width;
  private final boolean utf8;
  private ColumnView view;
  /** The bound chunk's dictionary of strings, where it has one (then its batches are not loaded into Arrow); else null. */
  private UTF8String[] dictionary;
  /** The batch's rows as far as direct reads go: 0 outside a batch, so that every read fails its check. */
  private int rows;
  private int nullCount;
  private long values;
  private long valueBytes;
  private long offsets;
  private long validity;

  ArrowPlainVector(DataType type, Field field, BufferAllocator allocator) {
    super(type, false);
    this.allocator = allocator;
    this.vector = ArrowColumns.arrowField(field, QuantizedView.DEQUANTIZED, -1).createVector(allocator);
    this.arrow = new ArrowColumnVector(vector);
    this.width = vector instanceof BaseFixedWidthVector v && !(vector instanceof BitVector) ? v.getTypeWidth() : 0;
    this.utf8 = vector instanceof VarCharVector;
  }

  @Override
  void bind(ColumnView columnView) {
    view = columnView;
    dictionary = null;
    if (utf8 && columnView.hasDictionary()) {
      super.bind(columnView); // the chunk's validity, which the dictionary's batches read
      UTF8String[] strings = new UTF8String[columnView.dictionarySize()];
      for (int i = 0; i < strings.length; i++) {
        strings[i] = UTF8String.fromBytes(columnView.dictionaryString(i));
      }
      dictionary = strings;
      vector.clear(); // lets go of the previous chunk's bytes
    }
  }

  /** The bound chunk's dictionary, one string per id, or null where its strings are not dictionary-encoded. */
  UTF8String[] dictionary() {
    return dictionary;
  }

  /** Row {@code rowId}'s id in {@link #dictionary()}; 0 for a null row. */
  int dictionaryId(int rowId) {
    return view.dictionaryId(start + Objects.checkIndex(rowId, rows));
  }

  /** Conditions for zero-copy slices: {@code first} is a multiple of 8 (batchRows is). */
  @Override
  void window(int first, int rows) throws IOException {
    this.rows = 0;
    setWindow(first, rows);
    if (dictionary != null) {
      Objects.checkFromIndexSize(first, rows, view.rows());
      this.rows = rows;
      return;
    }
    ArrowColumns.loadPlain(view, first, rows, vector, allocator);
    nullCount = vector.getNullCount();
    if (direct() && rows > 0) {
      ArrowBuf data = vector.getDataBuffer();
      ArrowBuf bits = vector.getValidityBuffer();
      ArrowBuf sized = utf8 ? vector.getOffsetBuffer() : data;
      long need = utf8 ? 4L * (rows + 1) : (long) rows * width;
      if (sized.capacity() < need || (nullCount > 0 && bits.capacity() < (rows + 7L) >>> 3)) {
        throw new IllegalStateException("column '" + view.field().name() + "': Arrow buffers of " + sized.capacity()
            + " and " + bits.capacity() + " bytes for " + rows + " rows");
      }
      values = data.memoryAddress();
      valueBytes = data.capacity();
      offsets = utf8 ? sized.memoryAddress() : 0;
      validity = bits.memoryAddress();
      this.rows = rows;
    }
  }

  private boolean direct() {
    return width > 0 || utf8;
  }

  @Override
  void release() {
    rows = 0;
    vector.close();
  }

  @Override
  public boolean hasNull() {
    return dictionary != null ? super.hasNull() : nullCount > 0;
  }

  @Override
  public int numNulls() {
    return dictionary != null ? super.numNulls() : nullCount;
  }

  @Override
  public boolean isNullAt(int rowId) {
    if (dictionary != null) {
      return super.isNullAt(Objects.checkIndex(rowId, rows));
    }
    if (!direct()) {
      return arrow.isNullAt(rowId);
    }
    int r = Objects.checkIndex(rowId, rows);
    return nullCount > 0 && (Platform.getByte(null, validity + (r >>> 3)) & (1 << (r & 7))) == 0;
  }

  /** The address of value {@code rowId} of {@code 1 << shift} bytes, checked against the batch and the vector's width. */
  private long address(int rowId, int shift) {
    if (width != 1 << shift) {
      throw new UnsupportedOperationException(dataType() + " column read as " + (8 << shift) + "-bit values");
    }
    return values + ((long) Objects.checkIndex(rowId, rows) << shift);
  }

  @Override
  public boolean getBoolean(int rowId) {
    return arrow.getBoolean(rowId);
  }

  @Override
  public int getInt(int rowId) {
    return Platform.getInt(null, address(rowId, 2));
  }

  @Override
  public long getLong(int rowId) {
    return Platform.getLong(null, address(rowId, 3));
  }

  @Override
  public float getFloat(int rowId) {
    return Platform.getFloat(null, address(rowId, 2));
  }

  @Override
  public double getDouble(int rowId) {
    return Platform.getDouble(null, address(rowId, 3));
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    if (!utf8) {
      throw new UnsupportedOperationException(dataType() + " column read as strings");
    }
    if (isNullAt(rowId)) {
      return null;
    }
    if (dictionary != null) {
      return dictionary[view.dictionaryId(start + rowId)];
    }
    long at = offsets + 4L * rowId;
    int from = Platform.getInt(null, at);
    int to = Platform.getInt(null, at + 4);
    if (from < 0 || to < from || to > valueBytes) {
      throw new IllegalStateException("column '" + view.field().name() + "': row " + rowId + " spans bytes ["
          + from + ", " + to + ") of " + valueBytes);
    }
    return UTF8String.fromAddress(null, values + from, to - from);
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    return arrow.getArray(rowId);
  }
}
