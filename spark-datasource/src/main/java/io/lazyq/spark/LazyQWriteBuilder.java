package io.lazyq.spark;

import io.lazyq.format.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * Checks a write while Spark plans it, before any task starts: every column's type, every
 * encoding option, and for an append, that the rows match the files already there.
 */
final class LazyQWriteBuilder implements WriteBuilder, SupportsTruncate {
  private final String dir;
  private final List<DataFile> existing;
  private final PartitionColumns existingPartitions;
  private final LazyQWriteConf conf;
  private final LogicalWriteInfo info;
  private final boolean direct;
  private boolean overwrite;

  /**
   * @param direct whether the write runs here; otherwise it is handed back to the source's save
   *     path (see {@link SaveModes})
   */
  LazyQWriteBuilder(String dir, List<DataFile> existing, PartitionColumns existingPartitions, LazyQWriteConf conf,
      LogicalWriteInfo info, boolean direct) {
    this.dir = dir;
    this.existing = existing;
    this.existingPartitions = existingPartitions;
    this.conf = conf;
    this.info = info;
    this.direct = direct;
  }

  @Override
  public WriteBuilder truncate() {
    overwrite = true;
    return this;
  }

  @Override
  public Write build() {
    StructType rows = info.schema();
    if (!direct) {
      conf.fileSchema(WriteJob.dataSchema(rows, partitions(rows, conf.partitionBy())));
      return SaveModes.insertion(conf, overwrite);
    }
    boolean replacePartitions = overwrite && conf.dynamicOverwrite()
        && !(existingPartitions.isEmpty() && conf.partitionBy().isEmpty());
    // an append, or an overwrite of partitions, keeps the table's partitioning: partitionBy may
    // be left out, as Delta allows, but may not name others
    boolean keeps = (!overwrite || replacePartitions) && !existing.isEmpty();
    PartitionColumns partitions = partitions(rows, keeps && conf.partitionBy().isEmpty()
        ? existingPartitions.names() : conf.partitionBy());
    if (keeps && !partitions.sameAs(existingPartitions)) {
      throw new IllegalArgumentException("lazyq: cannot " + (overwrite ? "overwrite partitions of " : "append to ")
          + dir + ": it is partitioned by " + describe(existingPartitions) + ", the written rows by "
          + describe(partitions) + "; write with the table's partitioning, or with mode overwrite to replace it all");
    }
    Schema fileSchema = conf.fileSchema(WriteJob.dataSchema(rows, partitions));
    if ((!overwrite || replacePartitions) && !existing.isEmpty()) {
      String difference = TableFiles.difference(TableFiles.tableSchema(existing), fileSchema);
      if (difference != null) {
        throw new IllegalArgumentException("lazyq: cannot append to " + dir + ": " + difference
            + "; write with mode overwrite to replace its contents");
      }
    }
    StorageConf storage = conf.storageConf();
    boolean exists;
    try {
      exists = storage.storage().status(dir).isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LazyQWrite(new WriteJob(dir, info.queryId(), rows, conf, overwrite, !exists, storage, partitions,
        replacePartitions));
  }

  private static PartitionColumns partitions(StructType rows, List<String> names) {
    return names.isEmpty() ? PartitionColumns.NONE : PartitionColumns.forWrite(rows, names);
  }

  private static String describe(PartitionColumns p) {
    return p.isEmpty() ? "nothing" : p.names() + " (" + p.schema().simpleString() + ")";
  }
}
