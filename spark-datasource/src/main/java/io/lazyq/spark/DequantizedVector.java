package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import org.apache.spark.sql.types.DataTypes;

/**
 * Float values of a quantized column. It holds the batch's blocks where they lie, and dequantizes
 * the whole batch into a reused array on the first read of a value: a batch that Spark never reads
 * is never dequantized. Where the chunk was dequantized ahead ({@link PrefetchedChunks}), it reads
 * those values instead.
 */
final class DequantizedVector extends ChunkVector {
  private final ReadCounters counters;
  private ColumnView view;
  private int blockSize;
  private float[] floats = new float[0];
  /** The chunk's values dequantized ahead, or null. */
  private float[] ahead;
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
    ahead = null;
    decoded = false;
  }

  @Override
  void dequantized(float[] values) {
    ahead = values;
    counters.blocksDequantized += blocks(0, values.length, blockSize);
  }

  @Override
  void window(int first, int rows) {
    setWindow(first, rows);
    decoded = false;
  }

  @Override
  public float getFloat(int rowId) {
    if (ahead != null) {
      return ahead[start + rowId];
    }
    if (!decoded) {
      decode();
    }
    return floats[rowId];
  }

  @Override
  public float[] getFloats(int rowId, int n) {
    float[] out = new float[n];
    if (ahead != null) {
      System.arraycopy(ahead, start + rowId, out, 0, n);
      return out;
    }
    if (!decoded) {
      decode();
    }
    System.arraycopy(floats, rowId, out, 0, n);
    return out;
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
    decoded = true;
    counters.waitNanos += System.nanoTime() - began;
  }

  /** Blocks that values {@code [first, first + n)} touch. */
  static long blocks(long first, long n, int blockSize) {
    return n == 0 ? 0 : (first + n - 1) / blockSize - first / blockSize + 1;
  }
}
