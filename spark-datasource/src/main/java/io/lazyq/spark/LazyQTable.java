package io.lazyq.spark;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A table of one or more {@code .lzq} files that share a schema, or of none yet when it is the
 * target of a first write.
 */
final class LazyQTable extends BatchReadTable implements SupportsWrite {
  private final List<DataFile> files;
  private final TableFiles.Listing partitioned;
  private final LazyQReadConf conf;
  private final LazyQWriteConf writeConf;
  private final boolean direct;
  private final boolean readable;

  /**
   * @param files the files whose footers were read: all of them, or for a partitioned table the
   *     one that gave the schema
   * @param partitioned for a partitioned table, every file and its partition values; else null
   * @param direct whether writes run as this source's own batch writes (see {@link SaveModes});
   *     otherwise they are V1 writes handed back to the source
   * @param readable whether the files were resolved for a read: none then is a version of a table
   *     that holds no files, which reads as no rows of {@code schema}
   */
  LazyQTable(List<DataFile> files, TableFiles.Listing partitioned, LazyQReadConf conf, StructType schema,
      LazyQWriteConf writeConf, boolean direct, boolean readable) {
    super("lazyq " + (conf.paths().isEmpty() ? writeConf.path() : conf.paths()), schema);
    this.files = files;
    this.partitioned = partitioned;
    this.readable = readable;
    this.conf = conf;
    this.writeConf = writeConf;
    this.direct = direct;
  }

  /**
   * Conditions: reads need files; direct writes take any schema, since the rows define the files'
   * schema (an append is checked against the existing files when the write is built).
   */
  @Override
  public Set<TableCapability> capabilities() {
    Set<TableCapability> c = EnumSet.of(TableCapability.TRUNCATE);
    if (!files.isEmpty()) {
      c.add(TableCapability.BATCH_READ);
      c.add(TableCapability.MICRO_BATCH_READ);
    } else if (readable) {
      c.add(TableCapability.BATCH_READ);
    }
    if (direct) {
      c.add(TableCapability.BATCH_WRITE);
      c.add(TableCapability.ACCEPT_ANY_SCHEMA);
    } else {
      c.add(TableCapability.V1_BATCH_WRITE);
    }
    return c;
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    if (files.isEmpty() && partitioned == null) {
      return new EmptyScan(schema());
    }
    return new LazyQScanBuilder(files, partitioned, conf.merge(options.asCaseSensitiveMap()), schema());
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    LazyQWriteConf merged = writeConf.merge(info.options().asCaseSensitiveMap());
    String dir = TableFiles.writeDirectory(merged.path(), merged.storageConf().storage());
    return new LazyQWriteBuilder(dir, files, partitioned == null ? PartitionColumns.NONE : partitioned.partitions(),
        merged, info, direct);
  }

  /** The partition columns, as identity transforms, as Spark's file tables report them. */
  @Override
  public org.apache.spark.sql.connector.expressions.Transform[] partitioning() {
    return partitioned == null ? new org.apache.spark.sql.connector.expressions.Transform[0]
        : partitioned.partitions().names().stream().map(org.apache.spark.sql.connector.expressions.Expressions::identity)
            .toArray(org.apache.spark.sql.connector.expressions.Transform[]::new);
  }
}
