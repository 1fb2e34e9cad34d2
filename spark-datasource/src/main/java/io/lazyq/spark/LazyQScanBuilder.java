package io.lazyq.spark;

import io.lazyq.format.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownV2Filters;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Takes the columns Spark needs (the others are never mapped), the predicates that chunk
 * statistics can decide, those on partition columns that prune files ({@link PartitionFilter}),
 * a limit, and aggregates, grouped or not ({@link PushedAggregate}).
 */
final class LazyQScanBuilder implements ScanBuilder, SupportsPushDownRequiredColumns, SupportsPushDownV2Filters,
    SupportsPushDownLimit, SupportsPushDownAggregates {
  private final List<DataFile> files;
  private final TableFiles.Listing partitioned;
  private final PartitionColumns partitions;
  private final LazyQReadConf conf;
  private final Schema schema;
  private StructType readSchema;
  private StatsFilter filter;
  private PartitionFilter pruning;
  private long limit = -1;
  private PushedAggregate aggregate;

  /** @param partitioned for a partitioned table, its files and their values; else null */
  LazyQScanBuilder(List<DataFile> files, TableFiles.Listing partitioned, LazyQReadConf conf, StructType tableSchema) {
    this.files = files;
    this.partitioned = partitioned;
    this.partitions = partitioned == null ? PartitionColumns.NONE : partitioned.partitions();
    this.conf = conf;
    this.schema = files.get(0).metadata().schema();
    this.readSchema = tableSchema;
    this.filter = StatsFilter.none(schema);
    this.pruning = PartitionFilter.none(partitions);
  }

  @Override
  public void pruneColumns(StructType required) {
    List<StructField> kept = new ArrayList<>();
    for (StructField f : readSchema.fields()) {
      if (required.getFieldIndex(f.name()).isDefined()) {
        kept.add(f);
      }
    }
    readSchema = new StructType(kept.toArray(new StructField[0]));
  }

  /**
   * Statistics can rule chunks out but never prove a row matches: Spark evaluates every predicate.
   * A verifying scan rules nothing out, so that it checks every chunk.
   */
  @Override
  public Predicate[] pushPredicates(Predicate[] predicates) {
    if (!conf.verify()) {
      filter = StatsFilter.of(predicates, schema);
    }
    // partitions are pruned even when verifying: a verifying scan checks every file it reads
    pruning = PartitionFilter.of(predicates, partitions);
    return predicates;
  }

  @Override
  public Predicate[] pushedPredicates() {
    List<Predicate> pushed = new ArrayList<>(List.of(filter.predicates()));
    for (Predicate p : pruning.predicates()) {
      if (!pushed.contains(p)) {
        pushed.add(p);
      }
    }
    return pushed.toArray(new Predicate[0]);
  }

  @Override
  public boolean pushLimit(int n) {
    if (conf.verify()) {
      return false; // a verifying scan reads every chunk
    }
    limit = n;
    return true;
  }

  /** Spark still applies the limit: whole chunks are read. */
  @Override
  public boolean isPartiallyPushed() {
    return true;
  }

  /**
   * Takes an aggregation over data columns, grouped by data or partition columns or not, when no
   * predicate was pushed: Spark offers one only when no filter remains after the scan, and every
   * predicate of this scan does.
   * A verifying scan reads every row, as Spark's own aggregate then does.
   */
  @Override
  public boolean pushAggregation(Aggregation aggregation) {
    if (!conf.aggregatePushdown() || conf.verify() || !conf.dequantize() || limit >= 0 || !filter.isEmpty()
        || !pruning.isEmpty()) {
      return false;
    }
    aggregate = PushedAggregate.of(aggregation, schema, partitions);
    if (aggregate != null && aggregate.hasIntegralSum()) {
      // A partitioned table's builder holds one file's footer (a scan reads the others once pruning
      // has dropped files, none here): the sums' bound needs every file's statistics.
      List<DataFile> all = partitioned == null ? files
          : TableFiles.read(partitioned.files(), conf.storageConf().storage());
      if (!aggregate.integralSumsFit(all)) {
        aggregate = null;
      }
    }
    return aggregate != null;
  }

  @Override
  public Scan build() {
    if (aggregate != null) {
      int[] columns = aggregate.columns();
      StructField[] read = new StructField[columns.length];
      for (int i = 0; i < columns.length; i++) {
        read[i] = readSchema.apply(schema.field(columns[i]).name());
      }
      LazyQScan scan = new LazyQScan(files, new LazyQScan.Pruning(partitioned, pruning, new int[0]), conf,
          new StructType(read), columns, filter, limit);
      return new AggregateScan(scan, aggregate, conf, schema, partitions);
    }
    // partition columns come last in the table's schema, so last in the read schema
    List<Integer> data = new ArrayList<>();
    List<Integer> partition = new ArrayList<>();
    for (StructField f : readSchema.fields()) {
      int c = schema.indexOf(f.name());
      if (c >= 0) {
        data.add(c);
      } else {
        partition.add(partitions.names().indexOf(f.name()));
      }
    }
    int[] columns = data.stream().mapToInt(Integer::intValue).toArray();
    int[] partitionColumns = partition.stream().mapToInt(Integer::intValue).toArray();
    return new LazyQScan(files, new LazyQScan.Pruning(partitioned, pruning, partitionColumns), conf, readSchema,
        columns, filter, limit);
  }
}
