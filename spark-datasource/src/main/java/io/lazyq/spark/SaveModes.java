package io.lazyq.spark;

import io.lazyq.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.write.V1Write;
import org.apache.spark.sql.errors.QueryCompilationErrors;

/**
 * Every save mode of {@code df.write.format("lazyq")}, as Spark's file sources behave.
 *
 * <p>Spark 4.1's {@code DataFrameWriter.save} accepts only append and overwrite for a table that
 * supports batch writes and comes from a {@code TableProvider} without a catalog; errorifexists
 * (the default) and ignore are refused, unless the table lacks batch writes, in which case the
 * source's V1 {@code CreatableRelationProvider} gets the mode. So the table that Spark asks for
 * reports no batch write, the source receives every mode here, decides it, and hands the rows back
 * to Spark with an internal option under which the table reports batch writes: the rows are then
 * written by {@link LazyQWrite}, tasks and commit protocol included. Catalog tables ({@code INSERT
 * INTO}, {@code CREATE TABLE ... AS SELECT}) take the same way through {@link V1Write}.
 */
final class SaveModes {
  /** Marks options under which the table writes the rows itself. */
  static final String DIRECT = "__lazyq_direct_write";

  private SaveModes() {}

  static boolean isDirect(Map<String, String> options) {
    return options.keySet().stream().anyMatch(DIRECT::equalsIgnoreCase);
  }

  /** Applies the save mode to the target directory, then writes the rows unless the mode says not to. */
  static void save(Dataset<Row> data, SaveMode mode, Map<String, String> options) {
    if (isDirect(options)) {
      // the table did not take the write it was handed: it holds something other than .lzq files
      throw new IllegalArgumentException("lazyq cannot write to " + options.get("path") + ": it holds tensor files");
    }
    LazyQWriteConf conf = LazyQWriteConf.parse(options);
    Storage storage = conf.storageConf().storage();
    String dir = TableFiles.writeDirectory(conf.path(), storage);
    boolean exists;
    try {
      exists = storage.status(dir).isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (exists && mode == SaveMode.ErrorIfExists) {
      throw sneaky(QueryCompilationErrors.outputPathAlreadyExistsError(new org.apache.hadoop.fs.Path(dir)));
    }
    if (exists && mode == SaveMode.Ignore) {
      return;
    }
    write(data, options, mode == SaveMode.Overwrite);
  }

  /**
   * The write of a catalog table, which Spark plans as a V1 insertion. Spark's V1 fallback passes
   * {@code overwrite = false} to the relation even for {@code INSERT OVERWRITE}, which it expresses
   * through the builder's truncation instead.
   */
  static V1Write insertion(LazyQWriteConf conf, boolean truncate) {
    return () -> (data, overwrite) -> write(data, conf.options(), truncate || overwrite);
  }

  private static void write(Dataset<Row> data, Map<String, String> options, boolean overwrite) {
    data.write().format("lazyq").options(options).option(DIRECT, "true")
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.Append).save();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
