package io.lazyq.arrow;

import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorView;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A GGUF or Safetensors file as Arrow batches, one row per tensor row: {@code tensor} (utf8),
 * {@code row} (int64) and {@code values} ({@code list<float32>}, dequantized). A batch holds rows of
 * one tensor and about {@code batchValues} values, so memory stays at one batch whatever the model's
 * size; tensors are mapped one at a time, as they are reached.
 */
public final class TensorArrowReader extends ArrowReader {
  /** Values per batch by default: 4 MiB of float32. */
  public static final int DEFAULT_BATCH_VALUES = 1 << 20;

  private final TensorFile file;
  private final int batchValues;
  private final List<TensorInfo> tensors;
  private int tensor;
  private long nextRow;
  private float[] values = new float[0];
  private long bytesRead;

  private TensorArrowReader(TensorFile file, int batchValues, BufferAllocator allocator) {
    super(allocator);
    if (batchValues < 1) {
      throw new IllegalArgumentException("batchValues must be positive, not " + batchValues);
    }
    this.file = file;
    this.batchValues = batchValues;
    this.tensors = file.tensors();
  }

  /** Reads {@code file}, which the reader closes. */
  public static TensorArrowReader open(TensorFile file, int batchValues, BufferAllocator allocator) {
    return new TensorArrowReader(file, batchValues, allocator);
  }

  @Override
  protected Schema readSchema() {
    Field element = new Field("element", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    return new Schema(List.of(
        new Field("tensor", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
        new Field("row", FieldType.notNullable(new ArrowType.Int(64, true)), null),
        new Field("values", FieldType.notNullable(ArrowType.List.INSTANCE), List.of(element))));
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    while (tensor < tensors.size() && nextRow >= tensors.get(tensor).rows()) {
      tensor++;
      nextRow = 0;
    }
    VectorSchemaRoot root = getVectorSchemaRoot();
    if (tensor == tensors.size()) {
      root.setRowCount(0);
      return false;
    }
    TensorInfo info = tensors.get(tensor);
    TensorView view = file.view(info);
    int rowLength = Math.toIntExact(info.rowLength());
    int rows = (int) Math.min(info.rows() - nextRow, Math.max(1, batchValues / Math.max(1, rowLength)));
    int n = rows * rowLength;
    if (values.length < n) {
      values = new float[n];
    }
    view.readRows(nextRow, rows, values, 0);
    fill(root, info.name(), rows, rowLength, n);
    bytesRead += info.type().byteSize((long) n);
    nextRow += rows;
    return true;
  }

  private void fill(VectorSchemaRoot root, String name, int rows, int rowLength, int n) {
    VarCharVector names = (VarCharVector) root.getVector("tensor");
    BigIntVector rowIds = (BigIntVector) root.getVector("row");
    ListVector lists = (ListVector) root.getVector("values");
    Float4Vector floats = (Float4Vector) lists.getDataVector();
    names.allocateNew((long) rows * name.length() * 3, rows);
    rowIds.allocateNew(rows);
    lists.setInitialCapacity(rows);
    lists.allocateNew();
    floats.allocateNew(n);
    byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ArrowBuf offsets = lists.getOffsetBuffer();
    for (int r = 0; r < rows; r++) {
      names.setSafe(r, utf8);
      rowIds.set(r, nextRow + r);
      lists.setNotNull(r);
      offsets.setInt((long) (r + 1) * ListVector.OFFSET_WIDTH, (r + 1) * rowLength);
    }
    for (int i = 0; i < n; i++) {
      floats.set(i, values[i]);
    }
    floats.setValueCount(n);
    lists.setLastSet(rows - 1);
    lists.setValueCount(rows);
    names.setValueCount(rows);
    rowIds.setValueCount(rows);
    root.setRowCount(rows);
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected void closeReadSource() throws IOException {
    try {
      file.close();
    } catch (Exception e) {
      throw e instanceof IOException ? (IOException) e : new IOException(e);
    }
  }
}
