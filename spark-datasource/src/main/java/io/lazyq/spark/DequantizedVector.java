package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import org.apache.spark.sql.types.DataTypes;

/**
 * Float values of a quantized column. It holds the batch's blocks where they lie, and dequantizes
 * the whole batch into a reused array on the first read of a value: a batch that Spark never reads
 * is never dequantized.
 */
final class DequantizedVector extends ChunkVector {
  private final ReadCounters counters;
  private ColumnView view;
  private int blockSize;
  private float[] floats = new float[0];
  private boolean decoded;

  DequantizedVector(boolean elements, ReadCounters counters) {
    super(DataTypes.FloatType, elements);
    this.counters = counters;
  }

  @Override
  void bind(ColumnView columnView) {
    super.bind(columnView);
    view = columnView;
    blockSize = columnView.field().encoding().quant().blockSize();
    decoded = false;
  }

  @Override
  void window(int first, int rows) {
    setWindow(first, rows);
    decoded = false;
  }

  @Override
  public float getFloat(int rowId) {
    if (!decoded) {
      decode();
    }
    return floats[rowId];
  }

  @Override
  public float[] getFloats(int rowId, int n) {
    if (!decoded) {
      decode();
    }
    float[] out = new float[n];
    System.arraycopy(floats, rowId, out, 0, n);
    return out;
  }

  private void decode() {
    if (floats.length < count) {
      floats = new float[Math.max(count, floats.length * 2)];
    }
    if (count > 0) {
      view.readFloats(start, count, floats, 0);
      counters.blocksDequantized += blocks(start, count, blockSize);
    }
    decoded = true;
  }

  /** Blocks that values {@code [first, first + n)} touch. */
  static long blocks(long first, long n, int blockSize) {
    return n == 0 ? 0 : (first + n - 1) / blockSize - first / blockSize + 1;
  }
}
