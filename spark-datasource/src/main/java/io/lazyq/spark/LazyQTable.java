package io.lazyq.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** A table of one or more {@code .lzq} files that share a schema. */
final class LazyQTable extends BatchReadTable {
  private final List<DataFile> files;
  private final LazyQReadConf conf;

  LazyQTable(List<DataFile> files, LazyQReadConf conf, StructType schema) {
    super("lazyq " + conf.paths(), schema);
    this.files = files;
    this.conf = conf;
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new LazyQScanBuilder(files, conf.merge(options.asCaseSensitiveMap()), schema());
  }
}
