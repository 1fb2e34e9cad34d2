package io.lazyq.spark;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * GGUF and Safetensors files as a table: one row per tensor ({@code view=tensors}), per tensor row
 * ({@code view=rows}) or per metadata key ({@code view=metadata}). Tensor data is dequantized only
 * where the {@code data} or {@code values} column is selected.
 */
final class TensorTable extends BatchReadTable {
  private final List<Path> files;
  private final LazyQReadConf conf;

  TensorTable(List<Path> files, LazyQReadConf conf) {
    super("lazyq tensors " + conf.paths(), TensorSchemas.of(conf.view()));
    this.files = files;
    this.conf = conf;
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new Builder();
  }

  /** Only column pruning: an unselected {@code data} column is never dequantized. */
  private final class Builder implements SupportsPushDownRequiredColumns {
    private StructType required = schema();

    @Override
    public void pruneColumns(StructType requiredSchema) {
      required = requiredSchema;
    }

    @Override
    public TensorScan build() {
      return new TensorScan(files, conf.view(), required);
    }
  }
}
