package io.lazyq.spark;

import io.lazyq.format.Schema;
import io.lazyq.spark.metrics.BlocksDequantized;
import io.lazyq.spark.metrics.BytesFetched;
import io.lazyq.spark.metrics.BytesMapped;
import io.lazyq.spark.metrics.BytesStreamed;
import io.lazyq.spark.metrics.ChunksSkipped;
import io.lazyq.spark.metrics.ConsumerWait;
import io.lazyq.spark.metrics.FilesPruned;
import io.lazyq.spark.metrics.FilesRead;
import io.lazyq.spark.metrics.StorageRequests;
import io.lazyq.spark.metrics.StorageWait;
import io.lazyq.spark.metrics.TaskValue;
import io.lazyq.storage.FileEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.connector.read.SupportsRuntimeV2Filtering;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/**
 * A scan of the selected columns of the chunks that the pushed filters and limit leave. Of a
 * partitioned table it reads the footers of the files that partition pruning leaves, and no
 * other's, when it is planned; Spark's runtime filters (dynamic partition pruning in joins) prune
 * further before the tasks are made.
 */
final class LazyQScan implements SupportsReportStatistics, SupportsRuntimeV2Filtering {
  /**
   * What a scan of a partitioned table prunes.
   *
   * @param listing every file of the table and its partition values; null for an unpartitioned table
   * @param filter the pushed predicates on partition columns
   * @param columns the selected partition columns, by index in the partition columns, in read-schema order
   */
  record Pruning(TableFiles.Listing listing, PartitionFilter filter, int[] columns) {
    boolean partitioned() {
      return listing != null;
    }
  }

  /** For an unpartitioned table every file; for a partitioned one, the file that gave the schema. */
  private final List<DataFile> files;
  private Pruning pruning;
  private final LazyQReadConf conf;
  private final StructType readSchema;
  private final int[] columns;
  private final StatsFilter filter;
  private final long limit;
  private ScanPlan plan;

  LazyQScan(List<DataFile> files, Pruning pruning, LazyQReadConf conf, StructType readSchema, int[] columns,
      StatsFilter filter, long limit) {
    this.files = files;
    this.pruning = pruning;
    this.conf = conf;
    this.readSchema = readSchema;
    this.columns = columns;
    this.filter = filter;
    this.limit = limit;
  }

  @Override
  public StructType readSchema() {
    return readSchema;
  }

  /**
   * Spark builds a streaming scan without pushing filters, a limit or a projection into it. A
   * table directory with a log streams its versions; other paths stream the files that listing
   * finds.
   */
  @Override
  public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
    if (pruning.partitioned()) {
      throw new UnsupportedOperationException("lazyq does not stream partitioned tables yet; read them with spark.read");
    }
    Optional<String> table = LogMicroBatchStream.tableOf(conf);
    return table.isPresent() ? new LogMicroBatchStream(conf, table.get(), schema(), columns)
        : new ChunkMicroBatchStream(conf, schema(), columns);
  }

  @Override
  public Batch toBatch() {
    return new LazyQBatch(checkedPlan(), conf, schema(), columns, partitionConstants());
  }

  /** The plan, once no file it reads is still being written. */
  ScanPlan checkedPlan() {
    ScanPlan p = plan();
    for (DataFile f : p.files()) {
      if (f.open()) {
        throw new IllegalStateException(f.location() + " is still being written (it has no footer yet): read it with"
            + " spark.readStream, or once its writer has closed it");
      }
    }
    return p;
  }

  /** What the tasks need to fill the selected partition columns, or null when there are none. */
  private PartitionConstants partitionConstants() {
    return pruning.partitioned() && pruning.columns().length > 0
        ? new PartitionConstants(pruning.listing().partitions(), pruning.columns()) : null;
  }

  /**
   * The selected partition columns, for Spark's runtime filters: a join's keys prune files as
   * constants do. Only selected ones, as Spark's file scans have it: Spark 4.2 resolves them
   * against the scan's output when it plans.
   */
  @Override
  public NamedReference[] filterAttributes() {
    if (!pruning.partitioned()) {
      return new NamedReference[0];
    }
    return pruning.listing().partitions().names().stream().filter(n -> readSchema.getFieldIndex(n).isDefined())
        .map(Expressions::column).toArray(NamedReference[]::new);
  }

  @Override
  public synchronized void filter(Predicate[] predicates) {
    if (pruning.partitioned()) {
      pruning = new Pruning(pruning.listing(), pruning.filter().and(predicates), pruning.columns());
      plan = null;
    }
  }

  /** Conditions for batch reads: every partition is columnar, so Spark need not ask per partition. */
  @Override
  public ColumnarSupportMode columnarSupportMode() {
    return ColumnarSupportMode.SUPPORTED;
  }

  @Override
  public Statistics estimateStatistics() {
    ScanPlan p = plan();
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return OptionalLong.of(p.bytes());
      }

      @Override
      public OptionalLong numRows() {
        return OptionalLong.of(p.rows());
      }
    };
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return new CustomMetric[] {new BytesMapped(), new ChunksSkipped(), new BlocksDequantized(), new BytesStreamed(),
        new ConsumerWait(), new BytesFetched(), new StorageRequests(), new StorageWait(), new FilesRead(),
        new FilesPruned()};
  }

  @Override
  public CustomTaskMetric[] reportDriverMetrics() {
    ScanPlan p = plan();
    return new CustomTaskMetric[] {new TaskValue(ChunksSkipped.NAME, p.chunksSkipped()),
        new TaskValue(FilesRead.NAME, p.filesRead()), new TaskValue(FilesPruned.NAME, p.filesPruned())};
  }

  @Override
  public String description() {
    return "lazyq [" + readSchema.simpleString() + "] files="
        + (pruning.partitioned() ? pruning.listing().files().size() : files.size())
        + (pruning.filter().isEmpty() ? "" : " partitionFilters=" + pruning.filter())
        + (filter.isEmpty() ? "" : " filters=" + Arrays.toString(filter.predicates()))
        + (limit >= 0 ? " limit=" + limit : "") + " " + conf;
  }

  private Schema schema() {
    return files.get(0).metadata().schema();
  }

  private synchronized ScanPlan plan() {
    if (plan == null) {
      SparkSession spark = SparkSession.active();
      SQLConf sql = spark.sessionState().conf();
      List<DataFile> read = files;
      List<Map<String, String>> values = null;
      int pruned = 0;
      if (pruning.partitioned()) {
        TableFiles.Listing all = pruning.listing();
        List<FileEntry> kept = new ArrayList<>();
        values = new ArrayList<>();
        for (int i = 0; i < all.files().size(); i++) {
          Map<String, String> v = all.values().get(i);
          if (pruning.filter().mightMatch(parse(all.partitions(), v, all.files().get(i)))) {
            kept.add(all.files().get(i));
            values.add(v);
          } else {
            pruned++;
          }
        }
        read = kept.isEmpty() ? List.of() : TableFiles.read(kept, conf.storageConf().storage());
        for (DataFile f : read) {
          TableFiles.checkSchema(schema(), files.get(0).location(), f.metadata().schema(), f.location());
        }
      }
      plan = ScanPlan.plan(read, values, columns, filter, limit, conf.stream(), sql.filesMaxPartitionBytes(),
          sql.filesOpenCostInBytes(), minPartitions(spark, sql));
      plan.pruned(pruned);
    }
    return plan;
  }

  /** A file's partition values as internal values, or a failure naming the file. */
  private static Object[] parse(PartitionColumns partitions, Map<String, String> values, FileEntry file) {
    try {
      return partitions.parse(values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("lazyq: " + file.location() + ": " + e.getMessage(), e);
    }
  }

  /** The partitions a scan aims at, at least: Spark's own rule for file sources. */
  private static int minPartitions(SparkSession spark, SQLConf sql) {
    if (sql.filesMinPartitionNum().isDefined()) {
      return (Integer) sql.filesMinPartitionNum().get();
    }
    String leaf = spark.conf().get("spark.sql.leafNodeDefaultParallelism", null);
    return leaf != null ? Integer.parseInt(leaf) : spark.sparkContext().defaultParallelism();
  }
}
