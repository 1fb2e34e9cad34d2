package io.lazyq.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * The scan of a table version that holds no files: no rows, of the schema its log records. Spark
 * runs a local scan on the driver, so no task opens anything.
 */
final class EmptyScan implements ScanBuilder, LocalScan {
  private final StructType schema;

  EmptyScan(StructType schema) {
    this.schema = schema;
  }

  @Override
  public Scan build() {
    return this;
  }

  @Override
  public StructType readSchema() {
    return schema;
  }

  @Override
  public InternalRow[] rows() {
    return new InternalRow[0];
  }

  @Override
  public String description() {
    return "lazyq [" + schema.simpleString() + "] files=0";
  }
}
