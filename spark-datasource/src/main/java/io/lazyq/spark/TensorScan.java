package io.lazyq.spark;

import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensorfiles.TensorFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructType;

/**
 * A scan of tensor files. Partitions: one file each for the tensors and metadata views; for the
 * rows view, runs of one tensor's rows of about {@link #VALUES_PER_PARTITION} values, so that a
 * model of any size streams through bounded memory.
 */
final class TensorScan implements Scan, Batch {
  static final long VALUES_PER_PARTITION = 1L << 22;

  private final List<Path> files;
  private final LazyQReadConf.TensorView view;
  private final StructType readSchema;

  TensorScan(List<Path> files, LazyQReadConf.TensorView view, StructType readSchema) {
    this.files = files;
    this.view = view;
    this.readSchema = readSchema;
  }

  @Override
  public StructType readSchema() {
    return readSchema;
  }

  @Override
  public String description() {
    return "lazyq tensors view=" + view + " [" + readSchema.simpleString() + "] files=" + files.size();
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  /** Tensor rows are few and wide: row-based partitions only. */
  @Override
  public ColumnarSupportMode columnarSupportMode() {
    return ColumnarSupportMode.UNSUPPORTED;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    List<InputPartition> parts = new ArrayList<>();
    for (Path f : files) {
      if (view != LazyQReadConf.TensorView.ROWS) {
        parts.add(new TensorPart(f.toString(), null, 0, 0));
        continue;
      }
      try (TensorFile file = TensorFiles.open(f)) {
        for (TensorInfo t : file.tensors()) {
          long perPart = Math.max(1, VALUES_PER_PARTITION / Math.max(1, t.rowLength()));
          for (long r = 0; r < t.rows(); r += perPart) {
            parts.add(new TensorPart(f.toString(), t.name(), r, Math.min(t.rows(), r + perPart)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return parts.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new TensorReaderFactory(view, readSchema);
  }

  /** One file, or rows {@code [firstRow, endRow)} of one of its tensors. */
  record TensorPart(String path, String tensor, long firstRow, long endRow) implements InputPartition {}
}
