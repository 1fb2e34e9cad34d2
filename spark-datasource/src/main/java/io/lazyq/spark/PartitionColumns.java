package io.lazyq.spark;

import io.lazyq.format.ColumnType;
import io.lazyq.table.LogAction.Column;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The partition columns of a table: their names and Spark types, and the one spelling of their
 * values as strings, in the log's {@code partitionValues} and in directory names: a number as Java
 * prints it, a date as {@code yyyy-MM-dd}, a timestamp as {@code yyyy-MM-dd HH:mm:ss[.ffffff]} (in
 * UTC for a table with a log; a discovered table's are read in the session's time zone, as Spark
 * reads them), a boolean as {@code true}/{@code false}. Values are Spark's internal ones
 * ({@code UTF8String}, days for a date, microseconds for a timestamp), as a literal of a pushed
 * predicate holds them.
 */
final class PartitionColumns implements Serializable {
  private static final long serialVersionUID = 1L;
  static final PartitionColumns NONE = new PartitionColumns(new StructType(), ZoneOffset.UTC);

  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true)
      .optionalEnd().toFormatter();
  /** The Spark types a partition column can have, and how the log names each. */
  private static final Map<DataType, String> TYPES = Map.of(DataTypes.IntegerType, "int32", DataTypes.LongType,
      "int64", DataTypes.FloatType, "float32", DataTypes.DoubleType, "float64", DataTypes.BooleanType, "bool",
      DataTypes.StringType, "utf8", DataTypes.DateType, "date", DataTypes.TimestampType, "timestamp");

  private final StructType schema;
  /** Where a timestamp value's wall-clock time is: UTC in a log, the session's zone in a discovered directory. */
  private final ZoneId zone;

  PartitionColumns(StructType schema, ZoneId zone) {
    this.schema = schema;
    this.zone = zone;
  }

  /** The partition columns that a log's metadata declares. */
  static PartitionColumns of(List<Column> columns) {
    List<StructField> fields = new ArrayList<>();
    for (Column c : columns) {
      fields.add(new StructField(c.name(), sparkType(c.type()), true, org.apache.spark.sql.types.Metadata.empty()));
    }
    return new PartitionColumns(new StructType(fields.toArray(new StructField[0])), ZoneOffset.UTC);
  }

  /**
   * The partition columns of a write of rows of {@code rows}, partitioned by {@code names}.
   *
   * @throws IllegalArgumentException naming a column that is missing, repeated, or of a type that
   *     cannot partition
   */
  static PartitionColumns forWrite(StructType rows, List<String> names) {
    List<StructField> fields = new ArrayList<>();
    for (String n : names) {
      if (rows.getFieldIndex(n).isEmpty()) {
        throw new IllegalArgumentException("lazyq: partition column '" + n + "' is not a column of the written rows "
            + rows.simpleString());
      }
      StructField f = rows.apply(n);
      if (!TYPES.containsKey(f.dataType())) {
        throw new IllegalArgumentException("lazyq cannot partition by '" + n + "' of type " + f.dataType().simpleString()
            + "; partition columns are int, bigint, float, double, boolean, string, date or timestamp");
      }
      if (fields.stream().anyMatch(x -> x.name().equals(f.name()))) {
        throw new IllegalArgumentException("lazyq: partition column '" + n + "' is named twice");
      }
      fields.add(new StructField(f.name(), f.dataType(), true, org.apache.spark.sql.types.Metadata.empty()));
    }
    if (fields.size() == rows.size() && !fields.isEmpty()) {
      throw new IllegalArgumentException("lazyq: every column would be a partition column; a table needs one other");
    }
    return new PartitionColumns(new StructType(fields.toArray(new StructField[0])), ZoneOffset.UTC);
  }

  /**
   * The partition columns of a directory written without a log, their types inferred from the
   * values found, as Spark infers them: int, then bigint, double, date, timestamp, else string
   * (every column string when {@code infer} is false); null values do not constrain a type.
   *
   * @param values each column's values (null for null), by column in directory order
   */
  static PartitionColumns infer(Map<String, ? extends Collection<String>> values, boolean infer, ZoneId zone) {
    List<StructField> fields = new ArrayList<>();
    values.forEach((name, vs) -> {
      DataType type = DataTypes.NullType;
      for (String v : vs) {
        if (v != null) {
          type = wider(type, infer ? inferType(v, zone) : DataTypes.StringType);
        }
      }
      fields.add(new StructField(name, type == DataTypes.NullType ? DataTypes.StringType : type, true,
          org.apache.spark.sql.types.Metadata.empty()));
    });
    return new PartitionColumns(new StructType(fields.toArray(new StructField[0])), zone);
  }

  private static DataType inferType(String v, ZoneId zone) {
    try {
      Integer.parseInt(v);
      return DataTypes.IntegerType;
    } catch (NumberFormatException e) {
      // not an int
    }
    try {
      Long.parseLong(v);
      return DataTypes.LongType;
    } catch (NumberFormatException e) {
      // not a long
    }
    if (v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return DataTypes.DoubleType;
    }
    try {
      LocalDate.parse(v);
      return DataTypes.DateType;
    } catch (DateTimeParseException e) {
      // not a date
    }
    try {
      LocalDateTime.parse(v, TIMESTAMP);
      return DataTypes.TimestampType;
    } catch (DateTimeParseException e) {
      return DataTypes.StringType;
    }
  }

  /** The narrowest type holding values of both, as Spark widens partition column types. */
  private static DataType wider(DataType a, DataType b) {
    if (a == DataTypes.NullType || a.equals(b)) {
      return b;
    }
    List<DataType> numbers = List.of(DataTypes.IntegerType, DataTypes.LongType, DataTypes.DoubleType);
    if (numbers.contains(a) && numbers.contains(b)) {
      return numbers.get(Math.max(numbers.indexOf(a), numbers.indexOf(b)));
    }
    if (a.equals(DataTypes.DateType) && b.equals(DataTypes.TimestampType)
        || b.equals(DataTypes.DateType) && a.equals(DataTypes.TimestampType)) {
      return DataTypes.TimestampType;
    }
    return DataTypes.StringType;
  }

  private static DataType sparkType(String logType) {
    for (Map.Entry<DataType, String> e : TYPES.entrySet()) {
      if (e.getValue().equals(logType)) {
        return e.getKey();
      }
    }
    // a type the log spells otherwise, such as ColumnType's aliases
    return SparkSchemas.type(ColumnType.parse(logType));
  }

  /** How the log names a partition column's type. */
  static String logType(DataType type) {
    return TYPES.get(type);
  }

  StructType schema() {
    return schema;
  }

  /** A table's schema: the files' columns, then the partition columns, as Spark's file sources order them. */
  static StructType tableSchema(StructType dataSchema, PartitionColumns partitions) {
    for (String n : partitions.names()) {
      if (dataSchema.getFieldIndex(n).isDefined()) {
        throw new IllegalArgumentException("lazyq: column '" + n + "' is both a partition column and stored in the"
            + " files");
      }
    }
    StructType all = dataSchema;
    for (StructField f : partitions.schema().fields()) {
      all = all.add(f);
    }
    return all;
  }

  boolean isEmpty() {
    return schema.isEmpty();
  }

  List<String> names() {
    return List.of(schema.fieldNames());
  }

  /** The log's columns for these partition columns. */
  List<Column> logColumns() {
    List<Column> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      columns.add(new Column(f.name(), logType(f.dataType()), true));
    }
    return columns;
  }

  /** Whether the other has the same columns, by name, type and order. */
  boolean sameAs(PartitionColumns other) {
    return schema.equals(other.schema);
  }

  /**
   * A value of column {@code i} in its string form; null stays null, and so does an empty string,
   * which no directory can name (Spark and Delta read it back as null too).
   */
  String format(int i, Object value) {
    if (value == null || value instanceof UTF8String s && s.numBytes() == 0) {
      return null;
    }
    DataType t = schema.fields()[i].dataType();
    if (t.equals(DataTypes.DateType)) {
      return LocalDate.ofEpochDay((Integer) value).toString();
    }
    if (t.equals(DataTypes.TimestampType)) {
      long micros = (Long) value;
      return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), 0, ZoneOffset.UTC)
          .plus(Math.floorMod(micros, 1_000_000L), ChronoUnit.MICROS).atZone(ZoneOffset.UTC)
          .withZoneSameInstant(zone).toLocalDateTime().format(TIMESTAMP);
    }
    return value.toString();
  }

  /**
   * The internal value of column {@code i} that a string form spells; null for null.
   *
   * @throws IllegalArgumentException for a value that is not of the column's type
   */
  Object parse(int i, String value) {
    if (value == null) {
      return null;
    }
    StructField f = schema.fields()[i];
    DataType t = f.dataType();
    try {
      if (t.equals(DataTypes.StringType)) {
        return UTF8String.fromString(value);
      } else if (t.equals(DataTypes.IntegerType)) {
        return Integer.parseInt(value);
      } else if (t.equals(DataTypes.LongType)) {
        return Long.parseLong(value);
      } else if (t.equals(DataTypes.DoubleType)) {
        return Double.parseDouble(value);
      } else if (t.equals(DataTypes.FloatType)) {
        return Float.parseFloat(value);
      } else if (t.equals(DataTypes.BooleanType)) {
        if (!value.equals("true") && !value.equals("false")) {
          throw new IllegalArgumentException("not true or false");
        }
        return Boolean.parseBoolean(value);
      } else if (t.equals(DataTypes.DateType)) {
        return (int) LocalDate.parse(value).toEpochDay();
      } else if (t.equals(DataTypes.TimestampType)) {
        java.time.Instant at = LocalDateTime.parse(value, TIMESTAMP).atZone(zone).toInstant();
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("partition value '" + value + "' of column '" + f.name() + "' is not a "
          + t.simpleString() + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException("no partition values of type " + t);
  }

  /** The internal values of every column from a file's string values, by column name. */
  Object[] parse(Map<String, String> values) {
    Object[] parsed = new Object[schema.size()];
    for (int i = 0; i < parsed.length; i++) {
      parsed[i] = parse(i, values.get(schema.fields()[i].name()));
    }
    return parsed;
  }

  /** A column of one value for every row of a batch: no per-row cost. */
  static ConstantColumnVector vector(DataType type, int rows) {
    return new ConstantColumnVector(rows, type);
  }

  /** Sets a constant vector of column {@code i}'s type to an internal value. */
  static void set(ConstantColumnVector v, DataType t, Object value) {
    if (value == null) {
      v.setNull();
      return;
    }
    v.setNotNull();
    if (t.equals(DataTypes.StringType)) {
      v.setUtf8String((UTF8String) value);
    } else if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.DateType)) {
      v.setInt((Integer) value);
    } else if (t.equals(DataTypes.LongType) || t.equals(DataTypes.TimestampType)) {
      v.setLong((Long) value);
    } else if (t.equals(DataTypes.DoubleType)) {
      v.setDouble((Double) value);
    } else if (t.equals(DataTypes.FloatType)) {
      v.setFloat((Float) value);
    } else if (t.equals(DataTypes.BooleanType)) {
      v.setBoolean((Boolean) value);
    } else {
      throw new IllegalStateException("no partition values of type " + t);
    }
  }
}
