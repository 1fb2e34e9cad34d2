package io.lazyq.spark;

import io.lazyq.format.ColumnStats;
import io.lazyq.format.ColumnType;
import io.lazyq.spark.PushedAggregate.Function;
import io.lazyq.spark.PushedAggregate.Term;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.vectorized.ColumnVector;

/**
 * The partial values of a {@link PushedAggregate} over one input partition, as Spark's own partial
 * aggregate computes them: a sum adds each value, cast to double or long, to 0 in row order (so
 * that a float sum has the very bits of Spark's); {@code MIN} and {@code MAX} order NaN above
 * every number and keep the first of equal values (-0.0 and 0.0); a sum, minimum or maximum of no
 * value is null, a count of none 0.
 */
final class AggregateState implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Term> terms;
  private final boolean[] seen;
  private final long[] longs;
  private final double[] doubles;

  AggregateState(PushedAggregate aggregate) {
    this.terms = aggregate.terms();
    int n = terms.size();
    seen = new boolean[n];
    longs = new long[n];
    doubles = new double[n];
  }

  /** Counts a chunk's rows ({@code COUNT(*)}) or its non-null values. */
  void count(int term, long values) {
    longs[term] += values;
  }

  /**
   * Whether a chunk's statistics give the minimum or maximum that a scan of it returns. They do
   * not where the extreme is ±0 (the statistics hold -0.0 as the minimum and 0.0 as the maximum;
   * Spark keeps whichever comes first) or where the chunk holds NaN and the answer could be NaN.
   */
  static boolean extremeInStats(Term t, ColumnStats stats, int rows) {
    if (stats.nullCount() == rows) {
      return true;
    }
    if (!stats.hasMinMax()) {
      return false;
    }
    if (!t.floating()) {
      return true;
    }
    double lo = stats.min().doubleValue();
    double hi = stats.max().doubleValue();
    double v = t.function() == Function.MIN ? lo : hi;
    // A NaN maximum says the chunk holds NaN, the true maximum; with an infinite minimum NaN may be all it holds.
    return v != 0.0 && !Double.isNaN(v) && !(Double.isNaN(hi) && lo == Double.NEGATIVE_INFINITY);
  }

  /** Takes a chunk's minimum or maximum from its statistics, which {@link #extremeInStats} found exact. */
  void extremeFromStats(int term, ColumnStats stats, int rows) {
    Term t = terms.get(term);
    if (stats.nullCount() == rows) {
      return;
    }
    Number v = t.function() == Function.MIN ? stats.min() : stats.max();
    if (t.floating()) {
      accept(term, v.doubleValue());
    } else {
      accept(term, v.longValue());
    }
  }

  /** Adds the non-null values of rows {@code [0, rows)} of a batch's column to the term. */
  void accept(int term, ColumnVector vector, int rows) {
    Term t = terms.get(term);
    boolean nulls = vector.hasNull();
    if (t.function() == Function.COUNT) {
      longs[term] += rows - (nulls ? vector.numNulls() : 0);
      return;
    }
    if (t.function() == Function.SUM && t.kind() == ColumnType.Kind.FLOAT32 && !nulls
        && vector instanceof DequantizedVector d) {
      sumFloats(term, d.values(), d.valuesOffset(), rows);
      return;
    }
    for (int r = 0; r < rows; r++) {
      if (!nulls || !vector.isNullAt(r)) {
        acceptValue(term, vector, r);
      }
    }
  }

  /** Adds row {@code r} of a column, not null there, to a {@code SUM}, {@code MIN} or {@code MAX} term. */
  void acceptValue(int term, ColumnVector vector, int r) {
    switch (terms.get(term).kind()) {
      case INT32 -> accept(term, vector.getInt(r));
      case INT64 -> accept(term, vector.getLong(r));
      case FLOAT32 -> accept(term, (double) vector.getFloat(r));
      default -> accept(term, vector.getDouble(r));
    }
  }

  /** Spark's sum of floats: each cast to double, added in row order. */
  private void sumFloats(int term, float[] values, int offset, int rows) {
    if (rows == 0) {
      return;
    }
    double sum = doubles[term];
    for (int i = offset, end = offset + rows; i < end; i++) {
      sum += values[i];
    }
    doubles[term] = sum;
    seen[term] = true;
  }

  private void accept(int term, long v) {
    Function f = terms.get(term).function();
    if (f == Function.SUM) {
      longs[term] += v; // cannot overflow: PushedAggregate.integralSumsFit
    } else if (!seen[term] || (f == Function.MIN ? v < longs[term] : v > longs[term])) {
      longs[term] = v;
    }
    seen[term] = true;
  }

  /** Adds a non-null floating value to a {@code SUM}, {@code MIN} or {@code MAX} term. */
  void accept(int term, double v) {
    Function f = terms.get(term).function();
    if (f == Function.SUM) {
      doubles[term] += v;
    } else if (!seen[term] || (f == Function.MIN ? less(v, doubles[term]) : less(doubles[term], v))) {
      doubles[term] = v;
    }
    seen[term] = true;
  }

  /** Spark's order of floating values: NaN above every number, -0.0 equal to 0.0. */
  private static boolean less(double a, double b) {
    return a < b || (Double.isNaN(b) && !Double.isNaN(a));
  }

  /** The partial values, typed as {@link PushedAggregate#schema()} says. */
  InternalRow row() {
    return new GenericInternalRow(values(0));
  }

  /** The partial values from position {@code first} of a new array, the positions before it left for the keys. */
  Object[] values(int first) {
    Object[] values = new Object[first + terms.size()];
    for (int i = 0; i < terms.size(); i++) {
      Term t = terms.get(i);
      values[first + i] = switch (t.function()) {
        case COUNT_STAR, COUNT -> longs[i];
        case SUM -> !seen[i] ? null : t.floating() ? (Object) doubles[i] : (Object) longs[i];
        case MIN, MAX -> !seen[i] ? null : switch (t.kind()) {
          case INT32 -> (Object) (int) longs[i];
          case INT64 -> (Object) longs[i];
          case FLOAT32 -> (Object) (float) doubles[i];
          default -> (Object) doubles[i];
        };
      };
    }
    return values;
  }

  /** A copy, for a task to add to without changing the partition it was planned in. */
  AggregateState copy() {
    return new AggregateState(this);
  }

  private AggregateState(AggregateState other) {
    terms = other.terms;
    seen = other.seen.clone();
    longs = other.longs.clone();
    doubles = other.doubles.clone();
  }
}
