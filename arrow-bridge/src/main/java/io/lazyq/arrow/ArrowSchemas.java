package io.lazyq.arrow;

import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.RowBlocks;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** LazyQ types as Arrow types. */
final class ArrowSchemas {
  /** Field metadata key recording a dequantized column's stored encoding, such as {@code q8_0}. */
  static final String ENCODING_KEY = "lazyq.encoding";
  /** Arrow's conventional name for a list's element field. */
  static final String ELEMENT = "item";

  private ArrowSchemas() {}

  static Field field(io.lazyq.format.Field f, QuantizedView view, long values) {
    ColumnEncoding enc = f.encoding();
    if (enc.isQuantized() && view == QuantizedView.RAW) {
      if (f.type().isList()) {
        throw new IllegalArgumentException("column '" + f.name() + "' is a list: its raw blocks ignore row"
            + " boundaries; read it dequantized");
      }
      return new Field(f.name(), FieldType.notNullable(new QuantizedType(enc.quant(), values, enc.errorBound())), null);
    }
    Map<String, String> metadata = enc.isQuantized() ? Map.of(ENCODING_KEY, enc.toString()) : null;
    if (!f.type().isList()) {
      return new Field(f.name(), new FieldType(f.nullable(), type(f.type().kind()), null, metadata), null);
    }
    // List elements are never null in LazyQ.
    Field element = new Field(ELEMENT, FieldType.notNullable(type(f.type().element())), null);
    return new Field(f.name(), new FieldType(f.nullable(), ArrowType.List.INSTANCE, null, metadata), List.of(element));
  }

  /**
   * A raw quantized column beside table-row columns: binary, each row the blocks that start in it
   * ({@link RowBlocks}), null where none does; the block parameters in the field's metadata.
   */
  static Field rowBlocksField(io.lazyq.format.Field f) {
    return new Field(f.name(), new FieldType(true, ArrowType.Binary.INSTANCE, null, RowBlocks.metadata(f)), null);
  }

  static ArrowType type(ColumnType.Kind kind) {
    switch (kind) {
      case INT32: return new ArrowType.Int(32, true);
      case INT64: return new ArrowType.Int(64, true);
      case FLOAT32: return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT64: return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case BOOL: return ArrowType.Bool.INSTANCE;
      case UTF8: return ArrowType.Utf8.INSTANCE;
      case TIMESTAMP_MICROS: return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      default: throw new IllegalArgumentException("no Arrow type for " + kind);
    }
  }

}
