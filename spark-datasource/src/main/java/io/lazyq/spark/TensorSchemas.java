package io.lazyq.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The schemas of the three views of a tensor file. */
final class TensorSchemas {
  private TensorSchemas() {}

  static StructType of(LazyQReadConf.TensorView view) {
    switch (view) {
      case ROWS:
        return new StructType()
            .add("tensor", DataTypes.StringType, false)
            .add("row", DataTypes.LongType, false)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType, false), false);
      case METADATA:
        return new StructType()
            .add("key", DataTypes.StringType, false)
            .add("value", DataTypes.StringType, false)
            .add("type", DataTypes.StringType, false);
      default:
        return new StructType()
            .add("name", DataTypes.StringType, false)
            .add("type", DataTypes.StringType, false)
            .add("shape", DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add("elements", DataTypes.LongType, false)
            .add("bytes", DataTypes.LongType, false)
            .add("offset", DataTypes.LongType, false)
            .add("data", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }
  }
}
