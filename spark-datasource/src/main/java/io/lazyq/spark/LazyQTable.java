package io.lazyq.spark;

import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** A table of one or more {@code .lzq} files that share a schema. */
final class LazyQTable implements SupportsRead {
  private final List<DataFile> files;
  private final LazyQReadConf conf;
  private final StructType schema;

  LazyQTable(List<DataFile> files, LazyQReadConf conf, StructType schema) {
    this.files = files;
    this.conf = conf;
    this.schema = schema;
  }

  @Override
  public String name() {
    return "lazyq " + conf.paths();
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new LazyQScanBuilder(files, conf.merge(options.asCaseSensitiveMap()), schema);
  }
}
