package io.lazyq.spark;

import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import io.lazyq.format.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code lazyq} data source: {@code spark.read.format("lazyq").load(path)}, or
 * {@code CREATE TABLE t USING lazyq LOCATION 'path'}. A path is a file, a directory or a glob; the
 * schema comes from the files' headers and footers alone. GGUF and Safetensors files, told apart
 * by their first bytes, read as tables of tensors, tensor rows or metadata. Options:
 * {@link LazyQOptions}.
 *
 * <p>Streams: {@code spark.readStream.format("lazyq").load(path)} reads a table with a log version
 * by version ({@code LogMicroBatchStream}), and other paths' files as they appear, including
 * chunks appended to local files still being written ({@code ChunkMicroBatchStream}); options
 * {@code maxChunksPerTrigger}, {@code maxBytesPerTrigger}, {@code skipChangeCommits}, and
 * {@code Trigger.AvailableNow}.
 *
 * <p>Writes: {@code df.write.format("lazyq").option("errorBound", "value=1e-3").save(dir)} in any
 * save mode, {@code INSERT INTO} and {@code CREATE TABLE ... USING lazyq AS SELECT}; a directory
 * of part files published whole by a version of its log ({@link TableCommit}), in Hive-style
 * partition directories with {@code partitionBy} (pruned on read by {@link PartitionFilter}).
 * Options: {@link LazyQOptions}.
 */
public final class LazyQSource implements TableProvider, DataSourceRegister, CreatableRelationProvider {
  /** Spark asks for the schema and then the table with the same options: resolve the files once. */
  private Map<String, String> resolvedFor;
  private Map<String, String> parsedFor;
  private LazyQReadConf conf;
  private List<DataFile> files;
  /** For a partitioned table: every file with its partition values, whose footers a scan reads once it has pruned. */
  private TableFiles.Listing partitioned;
  private List<Path> tensorFiles;
  private StructType schema;

  @Override
  public String shortName() {
    return "lazyq";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    resolve(options.asCaseSensitiveMap());
    return schema;
  }

  /** Spark passes the rows' schema when it writes, so that a write target need not exist. */
  @Override
  public boolean supportsExternalMetadata() {
    return true;
  }

  /**
   * The table of the files the options name; with none there (the first write to a directory),
   * an empty table of the given schema.
   */
  @Override
  public Table getTable(StructType given, Transform[] partitioning, Map<String, String> properties) {
    LazyQWriteConf writeConf = LazyQWriteConf.parse(properties);
    boolean direct = SaveModes.isDirect(properties);
    LazyQReadConf readConf = readConf(properties);
    // once resolved (a read asks for the schema first), the files are those of the version read then
    if (!isResolved(properties) && !TableFiles.hasData(readConf.paths(), readConf.storageConf().storage())) {
      return new LazyQTable(List.of(), null, readConf, given, writeConf, direct, false);
    }
    resolve(properties);
    return tensorFiles != null ? new TensorTable(tensorFiles, conf)
        : new LazyQTable(files, partitioned, conf, schema, writeConf, direct, true);
  }

  /** Every save mode of {@code df.write}: see {@link SaveModes} for why they arrive here. */
  @Override
  public BaseRelation createRelation(SQLContext sqlContext, SaveMode mode,
      scala.collection.immutable.Map<String, String> parameters, Dataset<Row> data) {
    SaveModes.save(data, mode, ScalaCollections.map(parameters));
    StructType written = data.schema();
    return new BaseRelation() {
      @Override
      public SQLContext sqlContext() {
        return sqlContext;
      }

      @Override
      public StructType schema() {
        return written;
      }
    };
  }

  /** The read options, parsed once for the options that Spark asks with. */
  private synchronized LazyQReadConf readConf(Map<String, String> options) {
    if (!options.equals(parsedFor)) {
      conf = LazyQReadConf.parse(options);
      parsedFor = Map.copyOf(options);
    }
    return conf;
  }

  private synchronized boolean isResolved(Map<String, String> options) {
    return options.equals(resolvedFor);
  }

  private synchronized void resolve(Map<String, String> options) {
    if (options.equals(resolvedFor)) {
      return;
    }
    readConf(options);
    Storage storage = conf.storageConf().storage();
    partitioned = null;
    TableFiles.Listing listing;
    try {
      listing = TableFiles.listing(conf.paths(), storage, conf.asOf(), discovery());
    } catch (IllegalArgumentException noFiles) {
      // only then, so that reading a table with files reads its log once
      Optional<Schema> empty = TableFiles.emptyVersion(conf.paths(), storage, conf.asOf());
      if (empty.isEmpty()) {
        throw noFiles;
      }
      files = List.of();
      tensorFiles = null;
      schema = SparkSchemas.toSpark(empty.get(), conf);
      resolvedFor = Map.copyOf(options);
      return;
    }
    List<FileEntry> paths = listing.files();
    if (TableFiles.isLazyQ(paths.get(0), storage)) {
      tensorFiles = null;
      if (listing.partitioned()) {
        // one footer gives the schema; a scan reads the others' once partition pruning has dropped files
        files = TableFiles.read(paths.subList(0, 1), storage);
        partitioned = listing;
        schema = PartitionColumns.tableSchema(SparkSchemas.toSpark(TableFiles.tableSchema(files), conf),
            listing.partitions());
      } else {
        files = TableFiles.read(paths, storage);
        schema = SparkSchemas.toSpark(TableFiles.tableSchema(files), conf);
      }
    } else {
      files = null;
      tensorFiles = paths.stream().map(f -> {
        if (!Storage.isLocal(f.location())) {
          throw new IllegalArgumentException("lazyq reads tensor files from a local disk; " + f.location() + " is not");
        }
        return Storage.localPath(f.location());
      }).toList();
      schema = TensorSchemas.of(conf.view());
    }
    resolvedFor = Map.copyOf(options);
  }

  /** How the session reads partition directories without a log, as Spark's file sources do. */
  private static TableFiles.Discovery discovery() {
    org.apache.spark.sql.internal.SQLConf sql = SparkSession.active().sessionState().conf();
    return new TableFiles.Discovery(sql.partitionColumnTypeInferenceEnabled(),
        java.time.ZoneId.of(sql.sessionLocalTimeZone()));
  }
}
