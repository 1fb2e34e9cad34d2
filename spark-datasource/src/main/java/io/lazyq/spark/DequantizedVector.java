package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import org.apache.spark.sql.types.DataTypes;

/**
 * Float values of a quantized column. Moving to a batch dequantizes the batch's blocks into a
 * reused array, so that reading a value is one array load: a lazy decode on the first read kept a
 * call in Spark's per-row loop, which then ran at half speed. Where the chunk was dequantized ahead
 * ({@link PrefetchedChunks}), the batch reads those values instead.
 */
final class DequantizedVector extends ChunkVector {
  private final ReadCounters counters;
  private ColumnView view;
  private int blockSize;
  private float[] floats = new float[0];
  /** The chunk's values dequantized ahead, or null. */
  private float[] ahead;
  /** The batch's values: row {@code r} is {@code values[offset + r]}. */
  private float[] values = floats;
  private int offset;

  DequantizedVector(boolean elements, ReadCounters counters) {
    super(DataTypes.FloatType, elements);
    this.counters = counters;
  }

  @Override
  void bind(ColumnView columnView) {
    super.bind(columnView);
    view = columnView;
    blockSize = columnView.field().encoding().quant().blockSize();
    ahead = null;
  }

  @Override
  void dequantized(float[] values) {
    ahead = values;
    counters.blocksDequantized += blocks(0, values.length, blockSize);
  }

  @Override
  void window(int first, int rows) {
    setWindow(first, rows);
    if (ahead != null) {
      values = ahead;
      offset = first;
    } else {
      decode();
      values = floats;
      offset = 0;
    }
  }

  @Override
  public float getFloat(int rowId) {
    return values[offset + rowId];
  }

  @Override
  public float[] getFloats(int rowId, int n) {
    float[] out = new float[n];
    System.arraycopy(values, offset + rowId, out, 0, n);
    return out;
  }

  /** The batch's values start at {@link #valuesOffset()} of this array: a pushed sum reads them in one loop. */
  float[] values() {
    return values;
  }

  int valuesOffset() {
    return offset;
  }

  private void decode() {
    long began = System.nanoTime();
    if (floats.length < count) {
      floats = new float[Math.max(count, floats.length * 2)];
    }
    if (count > 0) {
      view.readFloats(start, count, floats, 0);
      counters.blocksDequantized += blocks(start, count, blockSize);
    }
    counters.waitNanos += System.nanoTime() - began;
  }

  /** Blocks that values {@code [first, first + n)} touch. */
  static long blocks(long first, long n, int blockSize) {
    return n == 0 ? 0 : (first + n - 1) / blockSize - first / blockSize + 1;
  }
}
