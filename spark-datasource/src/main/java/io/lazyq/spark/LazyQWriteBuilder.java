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
  private final LazyQWriteConf conf;
  private final LogicalWriteInfo info;
  private final boolean direct;
  private boolean overwrite;

  /**
   * @param direct whether the write runs here; otherwise it is handed back to the source's save
   *     path (see {@link SaveModes})
   */
  LazyQWriteBuilder(String dir, List<DataFile> existing, LazyQWriteConf conf, LogicalWriteInfo info, boolean direct) {
    this.dir = dir;
    this.existing = existing;
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
    Schema fileSchema = conf.fileSchema(rows);
    if (!direct) {
      return SaveModes.insertion(conf, overwrite);
    }
    if (!overwrite && !existing.isEmpty()) {
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
    return new LazyQWrite(new WriteJob(dir, info.queryId(), rows, conf, overwrite, !exists, storage));
  }
}
