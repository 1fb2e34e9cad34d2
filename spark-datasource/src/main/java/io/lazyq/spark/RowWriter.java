package io.lazyq.spark;

import io.lazyq.format.LzqWriter;
import java.io.IOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Copies Spark's internal rows into a {@link LzqWriter} with one typed setter per column, chosen
 * once from the schema, so that a row costs no type dispatch.
 */
final class RowWriter {
  /** Sets column {@code c} of the writer from ordinal {@code r} of a row that is not null there. */
  private interface ValueWriter {
    void write(LzqWriter w, int c, InternalRow row, int r);
  }

  private final ValueWriter[] writers;
  private final String[] names;
  /** For each column of the writer, its ordinal in the rows. */
  private final int[] ordinals;

  RowWriter(StructType schema) {
    this(schema, schema);
  }

  /** Writes the columns of {@code written}, found by name in rows of {@code rows}. */
  RowWriter(StructType rows, StructType written) {
    StructField[] fields = written.fields();
    writers = new ValueWriter[fields.length];
    names = new String[fields.length];
    ordinals = new int[fields.length];
    for (int c = 0; c < fields.length; c++) {
      writers[c] = writer(fields[c].dataType());
      names[c] = fields[c].name();
      ordinals[c] = rows.fieldIndex(fields[c].name());
    }
  }

  void write(LzqWriter w, InternalRow row) throws IOException {
    for (int c = 0; c < writers.length; c++) {
      int r = ordinals[c];
      if (row.isNullAt(r)) {
        w.setNull(c);
      } else {
        writers[c].write(w, c, row, r);
      }
    }
    w.endRow();
  }

  private ValueWriter writer(DataType t) {
    if (t instanceof ArrayType a) {
      return arrayWriter(a.elementType());
    } else if (t.equals(DataTypes.IntegerType)) {
      return (w, c, row, r) -> w.setInt(c, row.getInt(r));
    } else if (t.equals(DataTypes.LongType) || t.equals(DataTypes.TimestampType)) {
      return (w, c, row, r) -> w.setLong(c, row.getLong(r));
    } else if (t.equals(DataTypes.FloatType)) {
      return (w, c, row, r) -> w.setFloat(c, row.getFloat(r));
    } else if (t.equals(DataTypes.DoubleType)) {
      return (w, c, row, r) -> w.setDouble(c, row.getDouble(r));
    } else if (t.equals(DataTypes.BooleanType)) {
      return (w, c, row, r) -> w.setBool(c, row.getBoolean(r));
    } else if (t.equals(DataTypes.StringType)) {
      return (w, c, row, r) -> w.setString(c, row.getUTF8String(r).toString());
    }
    // SparkSchemas.toLazyQ refused the schema before any task started.
    throw new IllegalStateException("no writer for " + t);
  }

  private ValueWriter arrayWriter(DataType element) {
    if (element.equals(DataTypes.IntegerType)) {
      return (w, c, row, r) -> w.setInts(c, elements(row, r, c).toIntArray());
    } else if (element.equals(DataTypes.LongType) || element.equals(DataTypes.TimestampType)) {
      return (w, c, row, r) -> w.setLongs(c, elements(row, r, c).toLongArray());
    } else if (element.equals(DataTypes.FloatType)) {
      return (w, c, row, r) -> w.setFloats(c, elements(row, r, c).toFloatArray());
    } else if (element.equals(DataTypes.DoubleType)) {
      return (w, c, row, r) -> w.setDoubles(c, elements(row, r, c).toDoubleArray());
    } else if (element.equals(DataTypes.BooleanType)) {
      return (w, c, row, r) -> w.setBools(c, elements(row, r, c).toBooleanArray());
    }
    throw new IllegalStateException("no writer for array<" + element + ">");
  }

  /**
   * The array of a row, which must hold no null element: lists have no element validity, and a
   * null must never become a zero silently. Spark's arrays are often typed as holding nulls
   * (Parquet's always are), so this is checked per value rather than refused by type.
   */
  private ArrayData elements(InternalRow row, int r, int c) {
    ArrayData a = row.getArray(r);
    for (int i = 0, n = a.numElements(); i < n; i++) {
      if (a.isNullAt(i)) {
        throw new IllegalArgumentException("lazyq: column '" + names[c] + "' holds an array with a null element"
            + " (index " + i + "); list elements cannot be null");
      }
    }
    return a;
  }
}
