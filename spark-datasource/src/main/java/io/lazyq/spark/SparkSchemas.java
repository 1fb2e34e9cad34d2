package io.lazyq.spark;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.RowBlocks;
import io.lazyq.format.Schema;
import io.lazyq.quant.QuantType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The Spark schema of a LazyQ schema. */
final class SparkSchemas {
  /** Column metadata keys of a quantized column read with {@code dequantize=false}. */
  static final String QUANT = RowBlocks.QUANT;
  static final String BLOCK_SIZE = RowBlocks.BLOCK_SIZE;
  static final String BLOCK_BYTES = RowBlocks.BLOCK_BYTES;
  static final String ERROR_BOUND = RowBlocks.ERROR_BOUND;
  static final String LIST = RowBlocks.LIST;

  private SparkSchemas() {}

  static StructType toSpark(Schema schema, LazyQReadConf conf) {
    StructField[] fields = new StructField[schema.size()];
    for (int i = 0; i < fields.length; i++) {
      Field f = schema.field(i);
      boolean raw = !conf.dequantize() && f.encoding().isQuantized();
      fields[i] = new StructField(f.name(), raw ? DataTypes.BinaryType : type(f.type()), f.nullable() || raw,
          raw ? blockMetadata(f) : Metadata.empty());
    }
    return new StructType(fields);
  }

  /**
   * The LazyQ schema, all columns plain, that holds a Spark schema's values.
   *
   * @throws IllegalArgumentException naming the first column whose type the format cannot hold
   */
  static Schema toLazyQ(StructType spark) {
    List<Field> fields = new ArrayList<>(spark.fields().length);
    for (StructField f : spark.fields()) {
      ColumnType type = columnType(f.dataType());
      if (type == null) {
        throw new IllegalArgumentException("lazyq cannot store column '" + f.name() + "' of type "
            + f.dataType().simpleString() + "; supported: " + SUPPORTED);
      }
      fields.add(new Field(f.name(), type, f.nullable(), ColumnEncoding.PLAIN));
    }
    return new Schema(fields, Map.of());
  }

  private static final String SUPPORTED = "int, bigint, float, double, boolean, string, timestamp, and arrays of"
      + " int, bigint, float, double, boolean or timestamp";

  /** The column type of a Spark type, or null when the format has none. */
  private static ColumnType columnType(DataType t) {
    if (t instanceof ArrayType a) {
      ColumnType element = columnType(a.elementType());
      return element == null || !element.kind().isListElement() ? null : ColumnType.listOf(element);
    }
    if (t.equals(DataTypes.IntegerType)) {
      return ColumnType.INT32;
    } else if (t.equals(DataTypes.LongType)) {
      return ColumnType.INT64;
    } else if (t.equals(DataTypes.FloatType)) {
      return ColumnType.FLOAT32;
    } else if (t.equals(DataTypes.DoubleType)) {
      return ColumnType.FLOAT64;
    } else if (t.equals(DataTypes.BooleanType)) {
      return ColumnType.BOOL;
    } else if (t.equals(DataTypes.StringType)) {
      return ColumnType.UTF8;
    } else if (t.equals(DataTypes.TimestampType)) {
      return ColumnType.TIMESTAMP;
    }
    return null;
  }

  static DataType type(ColumnType t) {
    if (t.isList()) {
      return DataTypes.createArrayType(primitive(t.element()), false);
    }
    return primitive(t.kind());
  }

  private static DataType primitive(ColumnType.Kind k) {
    switch (k) {
      case INT32: return DataTypes.IntegerType;
      case INT64: return DataTypes.LongType;
      case FLOAT32: return DataTypes.FloatType;
      case FLOAT64: return DataTypes.DoubleType;
      case BOOL: return DataTypes.BooleanType;
      case UTF8: return DataTypes.StringType;
      case TIMESTAMP_MICROS: return DataTypes.TimestampType;
      default: throw new IllegalArgumentException("no Spark type for " + k);
    }
  }

  /**
   * Block parameters of a column exposed raw: each row holds the blocks whose first value is one of
   * the row's values (null where none starts); for variable-size blocks, block i's bytes are
   * exactly the block, without the region's offset table.
   */
  private static Metadata blockMetadata(Field f) {
    ColumnEncoding e = f.encoding();
    QuantType q = e.quant();
    MetadataBuilder b = new MetadataBuilder()
        .putString(QUANT, q.label())
        .putLong(BLOCK_SIZE, q.blockSize())
        .putLong(BLOCK_BYTES, q.isFixedSize() ? q.blockBytes() : 0)
        .putBoolean(LIST, f.type().isList());
    if (e.hasErrorBound()) {
      b.putDouble(ERROR_BOUND, e.errorBound());
    }
    return b.build();
  }
}
