package io.lazyq.spark;

import io.lazyq.Closeables;
import io.lazyq.format.ColumnView;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;

/**
 * One chunk of a partition with views of its selected columns, ready to read. Closing it releases
 * the views; for a source that reuses one buffer, the views end with the next chunk in any case.
 */
final class OpenChunk implements Closeable {
  private final int rows;
  private final ColumnView[] columns;
  /** Per column, the chunk's values dequantized ahead of the reader, or null to decode on demand. */
  private final float[][] dequantized;

  OpenChunk(int rows, ColumnView[] columns) {
    this.rows = rows;
    this.columns = columns;
    this.dequantized = new float[columns.length][];
  }

  int rows() {
    return rows;
  }

  ColumnView column(int i) {
    return columns[i];
  }

  /** Column {@code i}'s values, if they were dequantized ahead; else null. */
  float[] dequantized(int i) {
    return dequantized[i];
  }

  /** Dequantizes column {@code i} whole, for a reader that will read every batch of it. */
  void dequantizeAhead(int i) {
    ColumnView v = columns[i];
    float[] values = new float[v.rows()];
    v.readFloats(0, values.length, values, 0);
    dequantized[i] = values;
  }

  @Override
  public void close() throws IOException {
    ColumnView[] open = columns.clone();
    Arrays.fill(columns, null);
    Closeables.closeAll(open);
  }
}
