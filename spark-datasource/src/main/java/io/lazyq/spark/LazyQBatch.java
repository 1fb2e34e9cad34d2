package io.lazyq.spark;

import io.lazyq.format.Schema;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** The planned chunk groups of a scan and the factory that reads them. */
final class LazyQBatch implements Batch {
  private final ScanPlan plan;
  private final LazyQReadConf conf;
  private final Schema schema;
  private final int[] columns;
  private final PartitionConstants partitions;

  /** @param partitions the selected partition columns, or null */
  LazyQBatch(ScanPlan plan, LazyQReadConf conf, Schema schema, int[] columns, PartitionConstants partitions) {
    this.plan = plan;
    this.partitions = partitions;
    this.conf = conf;
    this.schema = schema;
    this.columns = columns;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return plan.groups().toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new ReaderFactory(conf, StorageConf.broadcast(conf.storageConf()), schema, columns, false)
        .withPartitions(partitions);
  }
}
