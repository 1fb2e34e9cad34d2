package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorView;
import io.lazyq.tensor.ValueType;
import io.lazyq.tensorfiles.TensorFiles;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/** Reads tensor partitions as rows of the selected columns. */
final class TensorReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final LazyQReadConf.TensorView view;
  private final String[] columns;

  TensorReaderFactory(LazyQReadConf.TensorView view, StructType readSchema) {
    this.view = view;
    this.columns = readSchema.fieldNames();
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    TensorScan.TensorPart part = (TensorScan.TensorPart) partition;
    try {
      return new Reader(TensorFiles.open(Paths.get(part.path())), part);
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  /** Produces each row lazily: a column is computed only if selected. */
  private final class Reader implements PartitionReader<InternalRow> {
    private final TensorFile file;
    private final List<Function<String, Object>> rows = new ArrayList<>();
    private int next = -1;
    private final GenericInternalRow row = new GenericInternalRow(columns.length);

    Reader(TensorFile file, TensorScan.TensorPart part) throws IOException {
      this.file = file;
      switch (view) {
        case METADATA:
          for (Map.Entry<String, MetadataValue> e : file.metadata().asMap().entrySet()) {
            rows.add(column -> metadata(e.getKey(), e.getValue(), column));
          }
          break;
        case ROWS: {
          TensorInfo t = file.require(part.tensor());
          TensorView v = file.view(t);
          for (long r = part.firstRow(); r < part.endRow(); r++) {
            long index = r;
            rows.add(column -> tensorRow(t, v, index, column));
          }
          break;
        }
        default:
          for (TensorInfo t : file.tensors()) {
            rows.add(column -> tensor(t, column));
          }
      }
    }

    @Override
    public boolean next() {
      if (++next >= rows.size()) {
        return false;
      }
      for (int i = 0; i < columns.length; i++) {
        row.update(i, rows.get(next).apply(columns[i]));
      }
      return true;
    }

    @Override
    public InternalRow get() {
      return row;
    }

    @Override
    public void close() throws IOException {
      file.close();
    }

    private Object tensor(TensorInfo t, String column) {
      switch (column) {
        case "name": return UTF8String.fromString(t.name());
        case "type": return UTF8String.fromString(t.type().label());
        case "shape": return UnsafeArrayData.fromPrimitiveArray(t.shape());
        case "elements": return t.elementCount();
        case "bytes": return t.byteSize();
        case "offset": return t.dataOffset();
        default: return UnsafeArrayData.fromPrimitiveArray(io(() -> file.view(t).toFloatArray()));
      }
    }

    private Object tensorRow(TensorInfo t, TensorView v, long index, String column) {
      switch (column) {
        case "tensor": return UTF8String.fromString(t.name());
        case "row": return index;
        default: {
          float[] values = new float[v.rowLength()];
          io(() -> {
            v.readRows(index, 1, values, 0);
            return values;
          });
          return UnsafeArrayData.fromPrimitiveArray(values);
        }
      }
    }

    private Object metadata(String key, MetadataValue value, String column) {
      switch (column) {
        case "key": return UTF8String.fromString(key);
        case "value": return UTF8String.fromString(value.isArray() ? value.display(Integer.MAX_VALUE)
            : value.type() == ValueType.STRING ? value.asString() : value.display(1));
        default: return UTF8String.fromString(value.isArray() ? "array<" + value.elementType().label() + ">"
            : value.type().label());
      }
    }
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> T io(IoSupplier<T> s) {
    try {
      return s.get();
    } catch (IOException e) {
      throw unchecked(e);
    }
  }

  /** A malformed file as the error Spark puts first (see {@link MalformedFileException}); other I/O errors as they are. */
  private static RuntimeException unchecked(IOException e) {
    return e instanceof LazyQFormatException malformed ? new MalformedFileException(malformed)
        : new java.io.UncheckedIOException(e);
  }
}
