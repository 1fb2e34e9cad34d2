package io.lazyq.testing;

import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorView;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads every value a reader offers, through its typed accessors, into a checksum. It allocates
 * nothing per value, so that what a read allocates is the reader's own doing.
 */
public final class ReadAll {
  /** Floats decoded per call: a reused array, so decoding allocates no more for a larger input. */
  private static final int PIECE = 4096;
  /** Strings made through {@link ColumnView#getString} per column; the rest are read as bytes. */
  private static final int STRINGS = 16;

  private ReadAll() {}

  /** Every column of every chunk of a mapped file. */
  public static long lzq(LzqFile file) throws IOException {
    float[] scratch = new float[PIECE];
    long sum = file.rowCount();
    for (int chunk = 0; chunk < file.index().size(); chunk++) {
      for (int c = 0; c < file.schema().size(); c++) {
        try (ColumnView view = file.column(chunk, c)) {
          sum += column(view, scratch);
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
    }
    return sum;
  }

  /** Every column of every chunk of a stream. */
  public static long lzq(LzqStream stream) throws IOException {
    float[] scratch = new float[PIECE];
    long sum = 0;
    while (stream.next()) {
      for (int c = 0; c < stream.schema().size(); c++) {
        sum += column(stream.column(c), scratch);
      }
    }
    return sum + stream.rowsRead();
  }

  /** Every row of every tensor whose rows fit the scratch array, dequantized. */
  public static long tensors(TensorFile file) throws IOException {
    float[] scratch = new float[PIECE * 16];
    long sum = file.metadata().size();
    for (TensorInfo t : file.tensors()) {
      TensorView view = file.view(t);
      if (view.rowLength() == 0 || view.rowLength() > scratch.length) {
        sum += file.data(t).limit();
        continue;
      }
      int perCall = scratch.length / view.rowLength();
      for (long row = 0; row < view.rows(); row += perCall) {
        int n = (int) Math.min(perCall, view.rows() - row);
        view.readRows(row, n, scratch, 0);
        sum += Float.floatToRawIntBits(scratch[0]);
      }
    }
    return sum;
  }

  /** Every value of one column chunk. */
  public static long column(ColumnView view, float[] scratch) {
    long sum = 0;
    int rows = view.rows();
    for (int r = 0; r < rows; r++) {
      sum += view.isNull(r) ? 1 : 0;
    }
    ColumnType type = view.field().type();
    if (view.isQuantized()) {
      long values = view.chunk().valueCount();
      for (long at = 0; at < values; at += scratch.length) {
        int n = (int) Math.min(scratch.length, values - at);
        view.readFloats(at, n, scratch, 0);
        sum += Float.floatToRawIntBits(scratch[n - 1]);
      }
      if (rows > 0 && !type.isList()) {
        sum += Float.floatToRawIntBits(view.getFloat(rows - 1));
      }
    }
    if (type.isList()) {
      for (int r = 0; r < rows; r++) {
        int n = view.listLength(r);
        sum += view.listStart(r);
        for (int i = 0; i < n && !view.isQuantized(); i++) {
          sum += element(view, type.element(), r, i);
        }
        if (n > 0 && view.isQuantized()) {
          sum += Float.floatToRawIntBits(view.getListFloat(r, n - 1));
        }
      }
      return sum;
    }
    if (type.kind() == ColumnType.Kind.UTF8) {
      ByteBuffer values = view.valuesBuffer();
      for (int r = 0; r < rows; r++) {
        sum += r < STRINGS ? view.getString(r).length() : view.listLength(r);
      }
      for (int i = 0; i < values.limit(); i++) {
        sum += values.get(i);
      }
      return sum;
    }
    for (int r = 0; r < rows && !view.isQuantized(); r++) {
      sum += scalar(view, type.kind(), r);
    }
    return sum;
  }

  private static long scalar(ColumnView view, ColumnType.Kind kind, int r) {
    switch (kind) {
      case INT32: return view.getInt(r);
      case INT64: case TIMESTAMP_MICROS: return view.getLong(r);
      case FLOAT32: return Float.floatToRawIntBits(view.getFloat(r));
      case FLOAT64: return Double.doubleToRawLongBits(view.getDouble(r));
      case BOOL: return view.getBool(r) ? 1 : 0;
      default: throw new IllegalStateException(kind.toString());
    }
  }

  private static long element(ColumnView view, ColumnType.Kind kind, int r, int i) {
    switch (kind) {
      case INT32: return view.getListInt(r, i);
      case INT64: case TIMESTAMP_MICROS: return view.getListLong(r, i);
      case FLOAT32: return Float.floatToRawIntBits(view.getListFloat(r, i));
      case FLOAT64: return Double.doubleToRawLongBits(view.getListDouble(r, i));
      case BOOL: return view.getListBool(r, i) ? 1 : 0;
      default: throw new IllegalStateException(kind.toString());
    }
  }
}
