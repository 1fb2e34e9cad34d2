package io.lazyq.spark;

import io.lazyq.format.Schema;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructType;

/**
 * A scan that returns a {@link PushedAggregate}'s partial values, one row per input partition (per
 * key and input partition, grouped),
 * over the chunks that the scan of its columns would read: the same table version, files and
 * input partitions, so that each partial equals the one Spark's own partial aggregate computes.
 */
final class AggregateScan implements Scan {
  private final LazyQScan columns;
  private final PushedAggregate aggregate;
  private final LazyQReadConf conf;
  private final Schema schema;
  private final PartitionColumns partitions;

  /**
   * @param columns the scan of the columns that the aggregate reads, which plans the chunks
   * @param partitions the table's partition columns, which keys may name
   */
  AggregateScan(LazyQScan columns, PushedAggregate aggregate, LazyQReadConf conf, Schema schema,
      PartitionColumns partitions) {
    this.columns = columns;
    this.aggregate = aggregate;
    this.conf = conf;
    this.schema = schema;
    this.partitions = partitions;
  }

  @Override
  public StructType readSchema() {
    return aggregate.schema();
  }

  @Override
  public Batch toBatch() {
    ScanPlan plan = columns.checkedPlan();
    return new AggregateBatch(plan, aggregate, conf, schema, partitions);
  }

  @Override
  public ColumnarSupportMode columnarSupportMode() {
    return ColumnarSupportMode.UNSUPPORTED;
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return columns.supportedCustomMetrics();
  }

  @Override
  public CustomTaskMetric[] reportDriverMetrics() {
    return columns.reportDriverMetrics();
  }

  /** As Spark's Parquet scan says it: {@code PushedAggregation: [SUM(x), COUNT(*)], PushedGroupBy: [sensor]}. */
  @Override
  public String description() {
    return columns.description() + " PushedAggregation: " + aggregate
        + (aggregate.grouped() ? ", PushedGroupBy: " + aggregate.groupBy() : "");
  }
}
