package io.lazyq.spark;

import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ColumnStats;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.Schema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Aggregates without grouping that a scan answers itself, one row per input partition holding
 * each aggregate's partial value; Spark merges the rows. Understood: {@code COUNT(*)}, and
 * {@code COUNT}, {@code MIN}, {@code MAX}, {@code SUM} of a scalar int, long, float or double
 * column, none distinct ({@code AVG} reaches a scan as {@code SUM} and {@code COUNT}, since
 * pushdown is partial). Each partial has the type Spark's own partial aggregate has.
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

  private final List<Term> terms;

  private PushedAggregate(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  /** The aggregation as terms over the schema's columns, or null when some part of it is not understood. */
  static PushedAggregate of(Aggregation aggregation, Schema schema) {
    if (aggregation.groupByExpressions().length > 0) {
      return null;
    }
    List<Term> terms = new ArrayList<>();
    for (AggregateFunc f : aggregation.aggregateExpressions()) {
      Term t = term(f, schema);
      if (t == null) {
        return null;
      }
      terms.add(t);
    }
    return terms.isEmpty() ? null : new PushedAggregate(terms);
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

  /** A term over a scalar numeric column of the files, or null for anything else (an expression, a partition column). */
  private static Term column(Function function, Expression input, Schema schema) {
    if (!(input instanceof NamedReference ref) || ref.fieldNames().length != 1) {
      return null;
    }
    int c = schema.indexOf(ref.fieldNames()[0]);
    if (c < 0) {
      return null;
    }
    Field field = schema.field(c);
    ColumnType.Kind kind = field.type().kind();
    boolean numeric = kind == ColumnType.Kind.INT32 || kind == ColumnType.Kind.INT64
        || kind == ColumnType.Kind.FLOAT32 || kind == ColumnType.Kind.FLOAT64;
    return numeric && !field.type().isList() ? new Term(function, c, field.name(), kind) : null;
  }

  List<Term> terms() {
    return terms;
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

  /** The scan's output: one partial value per term, in the aggregation's order. */
  StructType schema() {
    StructField[] fields = new StructField[terms.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = new StructField(terms.get(i).toString(), terms.get(i).type(), true,
          org.apache.spark.sql.types.Metadata.empty());
    }
    return new StructType(fields);
  }

  /** The columns the terms read, each once, in schema order. */
  int[] columns() {
    return terms.stream().mapToInt(Term::column).filter(c -> c >= 0).distinct().sorted().toArray();
  }

  @Override
  public String toString() {
    return terms.stream().map(Term::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
