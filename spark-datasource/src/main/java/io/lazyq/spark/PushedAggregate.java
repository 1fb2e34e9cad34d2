package io.lazyq.spark;

import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ColumnStats;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.Schema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.Count;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.expressions.aggregate.Max;
import org.apache.spark.sql.connector.expressions.aggregate.Min;
import org.apache.spark.sql.connector.expressions.aggregate.Sum;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Aggregates that a scan answers itself: without grouping, one row per input partition holding
 * each aggregate's partial value; grouped, one row per distinct key in each input partition,
 * the key's columns first. Spark merges the rows. Understood: {@code COUNT(*)}, and
 * {@code COUNT}, {@code MIN}, {@code MAX}, {@code SUM} of a scalar int, long, float or double
 * column, none distinct ({@code AVG} reaches a scan as {@code SUM} and {@code COUNT}, since
 * pushdown is partial), grouped by scalar string, int, long, timestamp or boolean columns of the
 * files, or by partition columns of those types or dates. Each partial has the type Spark's own
 * partial aggregate has.
 */
final class PushedAggregate implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Function { COUNT_STAR, COUNT, MIN, MAX, SUM }

  /**
   * One aggregate.
   *
   * @param column the column's ordinal in the files' schema; -1 for {@code COUNT(*)}
   * @param kind the column's kind; null for {@code COUNT(*)}
   */
  record Term(Function function, int column, String name, ColumnType.Kind kind) implements Serializable {
    /** The type of the partial value: Spark's {@code Sum} adds ints and longs as long, floats as double. */
    DataType type() {
      return switch (function) {
        case COUNT_STAR, COUNT -> DataTypes.LongType;
        case SUM -> kind == ColumnType.Kind.FLOAT32 || kind == ColumnType.Kind.FLOAT64 ? DataTypes.DoubleType
            : DataTypes.LongType;
        case MIN, MAX -> SparkSchemas.type(ColumnType.of(kind));
      };
    }

    boolean floating() {
      return kind == ColumnType.Kind.FLOAT32 || kind == ColumnType.Kind.FLOAT64;
    }

    @Override
    public String toString() {
      return function == Function.COUNT_STAR ? "COUNT(*)" : function + "(" + name + ")";
    }
  }

  /**
   * One grouping column, of the files or a partition column. Floating columns are not keys: Spark's
   * own grouping makes -0.0 and 0.0, and every NaN, one key.
   *
   * @param column the column's ordinal in the files' schema, or in the table's partition columns
   * @param type the Spark type of the key's values
   */
  record Key(int column, String name, DataType type, boolean partition) implements Serializable {
    private static final Set<ColumnType.Kind> KINDS = EnumSet.of(ColumnType.Kind.UTF8,
        ColumnType.Kind.INT32, ColumnType.Kind.INT64, ColumnType.Kind.TIMESTAMP_MICROS, ColumnType.Kind.BOOL);
    private static final Set<DataType> PARTITION_TYPES = Set.of(DataTypes.StringType, DataTypes.IntegerType,
        DataTypes.LongType, DataTypes.DateType, DataTypes.TimestampType, DataTypes.BooleanType);

    @Override
    public String toString() {
      return name;
    }
  }

  private final List<Key> keys;
  private final List<Term> terms;

  private PushedAggregate(List<Key> keys, List<Term> terms) {
    this.keys = List.copyOf(keys);
    this.terms = List.copyOf(terms);
  }

  /**
   * The aggregation as keys and terms over the schema's columns (keys also over the partition
   * columns), or null when some part of it is not understood.
   */
  static PushedAggregate of(Aggregation aggregation, Schema schema, PartitionColumns partitions) {
    List<Key> keys = new ArrayList<>();
    for (Expression e : aggregation.groupByExpressions()) {
      Key k = key(e, schema, partitions);
      if (k == null) {
        return null;
      }
      keys.add(k);
    }
    List<Term> terms = new ArrayList<>();
    for (AggregateFunc f : aggregation.aggregateExpressions()) {
      Term t = term(f, schema);
      if (t == null) {
        return null;
      }
      terms.add(t);
    }
    return terms.isEmpty() ? null : new PushedAggregate(keys, terms);
  }

  /** A grouping column of the files or a partition column, or null for anything else (an expression, a float). */
  private static Key key(Expression input, Schema schema, PartitionColumns partitions) {
    int c = dataColumn(input, schema);
    if (c >= 0) {
      Field field = schema.field(c);
      return !field.type().isList() && Key.KINDS.contains(field.type().kind())
          ? new Key(c, field.name(), SparkSchemas.type(field.type()), false) : null;
    }
    String name = name(input);
    int p = name == null ? -1 : partitions.names().indexOf(name);
    if (p < 0) {
      return null;
    }
    StructField field = partitions.schema().fields()[p];
    return Key.PARTITION_TYPES.contains(field.dataType()) ? new Key(p, field.name(), field.dataType(), true) : null;
  }

  private static Term term(AggregateFunc f, Schema schema) {
    if (f instanceof CountStar) {
      return new Term(Function.COUNT_STAR, -1, "*", null);
    }
    if (f instanceof Count c && !c.isDistinct()) {
      return column(Function.COUNT, c.column(), schema);
    }
    if (f instanceof Min m) {
      return column(Function.MIN, m.column(), schema);
    }
    if (f instanceof Max m) {
      return column(Function.MAX, m.column(), schema);
    }
    if (f instanceof Sum s && !s.isDistinct()) {
      return column(Function.SUM, s.column(), schema);
    }
    return null;
  }

  /**
   * A term over a scalar column of the files, numeric but for {@code COUNT}, or null for anything
   * else (an expression, a partition column).
   */
  private static Term column(Function function, Expression input, Schema schema) {
    int c = dataColumn(input, schema);
    if (c < 0) {
      return null;
    }
    Field field = schema.field(c);
    ColumnType.Kind kind = field.type().kind();
    boolean numeric = kind == ColumnType.Kind.INT32 || kind == ColumnType.Kind.INT64
        || kind == ColumnType.Kind.FLOAT32 || kind == ColumnType.Kind.FLOAT64;
    return (numeric || function == Function.COUNT) && !field.type().isList() ? new Term(function, c, field.name(), kind)
        : null;
  }

  /** The ordinal of the files' column that the expression names, or -1 (an expression, a partition column). */
  private static int dataColumn(Expression input, Schema schema) {
    String name = name(input);
    return name == null ? -1 : schema.indexOf(name);
  }

  /** The top-level column the expression names, or null for any other expression. */
  private static String name(Expression input) {
    return input instanceof NamedReference ref && ref.fieldNames().length == 1 ? ref.fieldNames()[0] : null;
  }

  List<Term> terms() {
    return terms;
  }

  /** The grouping columns, in the aggregation's order; empty without grouping. */
  List<Key> keys() {
    return keys;
  }

  boolean grouped() {
    return !keys.isEmpty();
  }

  /** Whether some term is a {@code SUM} of ints or longs. */
  boolean hasIntegralSum() {
    return terms.stream().anyMatch(t -> t.function() == Function.SUM && !t.floating());
  }

  /**
   * Whether the chunks' statistics prove that no integral sum can overflow a long, in any order
   * of adding values and partials. Only then is an integral {@code SUM} answered in the scan:
   * Spark's own plan fails on overflow under ANSI, wraps without it, and returns null for
   * {@code try_sum}, which reaches a scan as a plain {@code Sum}; a sum that cannot overflow is
   * the same under all three.
   */
  boolean integralSumsFit(List<DataFile> files) {
    for (Term t : terms) {
      if (t.function() != Function.SUM || t.floating()) {
        continue;
      }
      long bound = 0;
      for (DataFile f : files) {
        for (ChunkDescriptor chunk : f.metadata().index().chunks()) {
          ColumnStats stats = chunk.column(t.column()).stats();
          long values = chunk.rows() - stats.nullCount();
          if (values == 0) {
            continue;
          }
          if (!stats.hasMinMax() || stats.min().longValue() == Long.MIN_VALUE) {
            return false;
          }
          long largest = Math.max(Math.abs(stats.min().longValue()), Math.abs(stats.max().longValue()));
          try {
            bound = Math.addExact(bound, Math.multiplyExact(values, largest));
          } catch (ArithmeticException overflow) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** The scan's output, as Spark expects it: the keys' values, then one partial value per term, in the aggregation's order. */
  StructType schema() {
    List<StructField> fields = new ArrayList<>();
    for (Key k : keys) {
      fields.add(new StructField(k.name(), k.type(), true, Metadata.empty()));
    }
    for (Term t : terms) {
      fields.add(new StructField(t.toString(), t.type(), true, Metadata.empty()));
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  /** The files' columns the keys and terms read, each once, in schema order. */
  int[] columns() {
    return IntStream.concat(keys.stream().filter(k -> !k.partition()).mapToInt(Key::column),
        terms.stream().mapToInt(Term::column)).filter(c -> c >= 0).distinct().sorted().toArray();
  }

  /** The partition columns the keys read, each once, by index in the table's partition columns. */
  int[] partitionColumns() {
    return keys.stream().filter(Key::partition).mapToInt(Key::column).distinct().toArray();
  }

  /** As Spark's Parquet scan says it: {@code [SUM(x), COUNT(*)]}. */
  @Override
  public String toString() {
    return terms.stream().map(Term::toString).collect(Collectors.joining(", ", "[", "]"));
  }

  /** The grouping columns as a plan shows them: {@code [sensor]}. */
  String groupBy() {
    return keys.stream().map(Key::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
