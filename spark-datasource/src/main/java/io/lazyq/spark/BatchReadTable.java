package io.lazyq.spark;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.types.StructType;

/** A table that supports batch reads only, with a fixed name and schema. */
abstract class BatchReadTable implements SupportsRead {
  private final String name;
  private final StructType schema;

  BatchReadTable(String name, StructType schema) {
    this.name = name;
    this.schema = schema;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }
}
