package io.lazyq.spark;

import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Plain values read in place from the view's buffers, with no copy: fixed-width values, bits and
 * UTF-8 strings (as {@link UTF8String}s pointing into the buffer). This is the one class that
 * supplies plain columns; the view validated every offset and length when it was built, and each
 * string's bounds are checked again before the unchecked read.
 */
final class PlainVector extends ChunkVector {
  private final ColumnType.Kind kind;
  private ByteBuffer values;
  private ByteBuffer offsets;
  private Object base;
  private long address;

  PlainVector(DataType type, ColumnType.Kind kind, boolean elements) {
    super(type, elements);
    this.kind = kind;
  }

  @Override
  void bind(ColumnView view) {
    super.bind(view);
    values = view.valuesBuffer();
    offsets = elements ? null : view.offsetsBuffer();
    if (kind == ColumnType.Kind.UTF8) {
      if (values.isDirect()) {
        base = null;
        address = MemoryUtil.getByteBufferAddress(values);
      } else {
        base = values.array();
        address = Platform.BYTE_ARRAY_OFFSET + values.arrayOffset();
      }
    }
  }

  @Override
  public boolean getBoolean(int rowId) {
    int i = start + rowId;
    return (values.get(i >>> 3) & (1 << (i & 7))) != 0;
  }

  @Override
  public int getInt(int rowId) {
    return values.getInt((start + rowId) << 2);
  }

  @Override
  public long getLong(int rowId) {
    return values.getLong((start + rowId) << 3);
  }

  @Override
  public float getFloat(int rowId) {
    return values.getFloat((start + rowId) << 2);
  }

  @Override
  public double getDouble(int rowId) {
    return values.getDouble((start + rowId) << 3);
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    if (isNullAt(rowId)) {
      return null;
    }
    int row = start + rowId;
    int from = offsets.getInt(row << 2);
    int to = offsets.getInt((row + 1) << 2);
    if (from < 0 || to < from || to > values.limit()) {
      throw new IllegalStateException("string " + row + " spans [" + from + ", " + to + ") of " + values.limit());
    }
    return UTF8String.fromAddress(base, address + from, to - from);
  }
}
