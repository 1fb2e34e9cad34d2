package io.lazyq.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A tensor seen as rows: a row is the innermost dimension (GGUF's {@code ne[0]}), and rows are
 * numbered in row-major order over the outer dimensions. Reading dequantizes only the rows read.
 *
 * <p>Tensors up to 2 GiB are read through their one mapping; larger ones through a mapping of just
 * the rows asked for.
 */
public final class TensorView {
  private final MappedTensorFile file;
  private final TensorInfo tensor;
  private final long firstRow;
  private final long rows;
  private final int rowLength;

  TensorView(MappedTensorFile file, TensorInfo tensor) {
    this(file, tensor, 0, tensor.rows());
  }

  private TensorView(MappedTensorFile file, TensorInfo tensor, long firstRow, long rows) {
    boolean longRows = tensor.rowLength() > Integer.MAX_VALUE - 8;
    if (longRows && tensor.elementCount() > 0) {
      throw new UnsupportedOperationException("tensor '" + tensor.name() + "' has rows of "
          + tensor.rowLength() + " values, more than one float array holds");
    }
    this.file = file;
    this.tensor = tensor;
    this.firstRow = firstRow;
    this.rows = rows;
    // An empty tensor with long rows has no rows to read: any dims whose product is 0 are legal.
    this.rowLength = longRows ? 0 : (int) tensor.rowLength();
  }

  public TensorInfo tensor() {
    return tensor;
  }

  /** Rows in this view. */
  public long rows() {
    return rows;
  }

  /** Values per row; 0 for an empty tensor whose rows would be longer than an array. */
  public int rowLength() {
    return rowLength;
  }

  /** The rows {@code [rowStart, rowEnd)} of this view. Maps and decodes nothing. */
  public TensorView slice(long rowStart, long rowEnd) {
    if (rowStart < 0 || rowEnd < rowStart || rowEnd > rows) {
      throw new IndexOutOfBoundsException("rows [" + rowStart + ", " + rowEnd + ") of " + rows);
    }
    return new TensorView(file, tensor, firstRow + rowStart, rowEnd - rowStart);
  }

  /**
   * Dequantizes rows {@code [rowStart, rowStart + count)} of this view into {@code dst[off ..]},
   * row after row.
   */
  public void readRows(long rowStart, int count, float[] dst, int off) throws IOException {
    if (rowStart < 0 || count < 0 || rowStart + count > rows) {
      throw new IndexOutOfBoundsException("rows [" + rowStart + ", " + (rowStart + count) + ") of "
          + rows);
    }
    long values = (long) count * rowLength;
    if (values > dst.length - (long) off || off < 0) {
      throw new IndexOutOfBoundsException(values + " values do not fit at " + off + " in "
          + dst.length);
    }
    if (values == 0) {
      return;
    }
    long row = firstRow + rowStart;
    if (tensor.byteSize() <= MappedTensorFile.MAX_MAPPING) {
      tensor.type().decode(file.decodable(tensor), row * rowLength, (int) values, dst, off);
    } else {
      // Rows hold whole blocks (readers check it), so a row window is a region of its own.
      long rowBytes = tensor.type().byteSize(rowLength);
      int perWindow = (int) Math.max(1, Math.min(count, MappedTensorFile.MAX_MAPPING / rowBytes));
      for (int done = 0; done < count; done += perWindow) {
        int n = Math.min(perWindow, count - done);
        long at = tensor.dataOffset() + (row + done) * rowBytes;
        ByteBuffer window = file.map(tensor, at, n * rowBytes);
        file.validate(tensor, window, at, (long) n * rowLength);
        tensor.type().decode(window, 0, n * rowLength, dst, off + done * rowLength);
      }
    }
  }

  /** Every row of this view, dequantized. */
  public float[] toFloatArray() throws IOException {
    long n = rows * rowLength;
    if (n > Integer.MAX_VALUE - 8) {
      throw new UnsupportedOperationException(n + " values do not fit one float array");
    }
    float[] out = new float[(int) n];
    readRows(0, (int) rows, out, 0);
    return out;
  }
}
