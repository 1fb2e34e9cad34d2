package io.lazyq.spark;

import io.lazyq.format.Schema;
import io.lazyq.spark.metrics.BlocksDequantized;
import io.lazyq.spark.metrics.BytesFetched;
import io.lazyq.spark.metrics.BytesMapped;
import io.lazyq.spark.metrics.BytesStreamed;
import io.lazyq.spark.metrics.ChunksSkipped;
import io.lazyq.spark.metrics.ConsumerWait;
import io.lazyq.spark.metrics.StorageRequests;
import io.lazyq.spark.metrics.StorageWait;
import io.lazyq.spark.metrics.TaskValue;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/** A scan of the selected columns of the chunks that the pushed filters and limit leave. */
final class LazyQScan implements SupportsReportStatistics {
  private final List<DataFile> files;
  private final LazyQReadConf conf;
  private final StructType readSchema;
  private final int[] columns;
  private final StatsFilter filter;
  private final long limit;
  private ScanPlan plan;

  LazyQScan(List<DataFile> files, LazyQReadConf conf, StructType readSchema, int[] columns, StatsFilter filter,
      long limit) {
    this.files = files;
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

  /** Spark builds a streaming scan without pushing filters, a limit or a projection into it. */
  @Override
  public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
    return new ChunkMicroBatchStream(conf, schema(), columns);
  }

  @Override
  public Batch toBatch() {
    for (DataFile f : files) {
      if (f.open()) {
        throw new IllegalStateException(f.location() + " is still being written (it has no footer yet): read it with"
            + " spark.readStream, or once its writer has closed it");
      }
    }
    return new LazyQBatch(plan(), conf, schema(), columns);
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
        new ConsumerWait(), new BytesFetched(), new StorageRequests(), new StorageWait()};
  }

  @Override
  public CustomTaskMetric[] reportDriverMetrics() {
    return new CustomTaskMetric[] {new TaskValue(ChunksSkipped.NAME, plan().chunksSkipped())};
  }

  @Override
  public String description() {
    return "lazyq [" + readSchema.simpleString() + "] files=" + files.size()
        + (filter.isEmpty() ? "" : " filters=" + java.util.Arrays.toString(filter.predicates()))
        + (limit >= 0 ? " limit=" + limit : "") + " " + conf;
  }

  private Schema schema() {
    return files.get(0).metadata().schema();
  }

  private synchronized ScanPlan plan() {
    if (plan == null) {
      SparkSession spark = SparkSession.active();
      SQLConf sql = spark.sessionState().conf();
      plan = ScanPlan.plan(files, columns, filter, limit, conf.stream(), sql.filesMaxPartitionBytes(),
          sql.filesOpenCostInBytes(), minPartitions(spark, sql));
    }
    return plan;
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
