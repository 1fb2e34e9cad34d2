package io.lazyq.spark;

import io.lazyq.format.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownV2Filters;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Takes the columns Spark needs (the others are never mapped), the predicates that chunk
 * statistics can decide, and a limit.
 */
final class LazyQScanBuilder implements ScanBuilder, SupportsPushDownRequiredColumns, SupportsPushDownV2Filters,
    SupportsPushDownLimit {
  private final List<DataFile> files;
  private final LazyQReadConf conf;
  private final Schema schema;
  private StructType readSchema;
  private StatsFilter filter;
  private long limit = -1;

  LazyQScanBuilder(List<DataFile> files, LazyQReadConf conf, StructType tableSchema) {
    this.files = files;
    this.conf = conf;
    this.schema = files.get(0).metadata().schema();
    this.readSchema = tableSchema;
    this.filter = StatsFilter.none(schema);
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
    return predicates;
  }

  @Override
  public Predicate[] pushedPredicates() {
    return filter.predicates();
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

  @Override
  public Scan build() {
    int[] columns = new int[readSchema.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = schema.indexOf(readSchema.fields()[i].name());
    }
    return new LazyQScan(files, conf, readSchema, columns, filter, limit);
  }
}
