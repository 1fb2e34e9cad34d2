package io.lazyq.arrow;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link LzqArrowReader} reads: which columns, how many rows per batch, and how each
 * quantized column is shown. Immutable; each {@code with} method returns a copy.
 */
public final class ArrowReadOptions {
  public static final int DEFAULT_BATCH_ROWS = 65536;

  /** How a quantized column appears in Arrow. */
  public enum QuantizedView {
    /** {@code float32} (or {@code list<float32>}), decoded batch by batch into reused vectors. */
    DEQUANTIZED,
    /**
     * The stored blocks. Where every column read is raw, zero-copy, as {@link QuantizedType}: rows
     * are then blocks, not table rows, and the columns must share one block size. Beside other
     * columns, row-aligned: binary, each row the blocks that start in it, as Spark's
     * {@code dequantize=false} shows them ({@link io.lazyq.format.RowBlocks}).
     */
    RAW
  }

  private final List<String> columns;
  private final int batchRows;
  private final QuantizedView defaultView;
  private final Map<String, QuantizedView> views;

  private ArrowReadOptions(List<String> columns, int batchRows, QuantizedView defaultView,
      Map<String, QuantizedView> views) {
    this.columns = columns;
    this.batchRows = batchRows;
    this.defaultView = defaultView;
    this.views = Map.copyOf(views);
  }

  /** All columns, 65536 rows per batch, quantized columns dequantized. */
  public static ArrowReadOptions defaults() {
    return new ArrowReadOptions(null, DEFAULT_BATCH_ROWS, QuantizedView.DEQUANTIZED, Map.of());
  }

  /** Reads only these columns, in this order; unselected columns are never mapped. */
  public ArrowReadOptions withColumns(List<String> names) {
    return new ArrowReadOptions(List.copyOf(names), batchRows, defaultView, views);
  }

  /** Rows per batch (blocks per batch for raw columns): a positive multiple of 8. */
  public ArrowReadOptions withBatchRows(int rows) {
    if (rows <= 0 || rows % 8 != 0) {
      throw new IllegalArgumentException("batch rows must be a positive multiple of 8, not " + rows);
    }
    return new ArrowReadOptions(columns, rows, defaultView, views);
  }

  /** The view of every quantized column not named in {@link #withQuantizedView(String, QuantizedView)}. */
  public ArrowReadOptions withQuantizedView(QuantizedView view) {
    return new ArrowReadOptions(columns, batchRows, view, views);
  }

  public ArrowReadOptions withQuantizedView(String column, QuantizedView view) {
    Map<String, QuantizedView> m = new HashMap<>(views);
    m.put(column, view);
    return new ArrowReadOptions(columns, batchRows, defaultView, m);
  }

  /** The selected column names, or {@code null} for all. */
  public List<String> columns() {
    return columns;
  }

  public int batchRows() {
    return batchRows;
  }

  public QuantizedView view(String column) {
    return views.getOrDefault(column, defaultView);
  }
}
