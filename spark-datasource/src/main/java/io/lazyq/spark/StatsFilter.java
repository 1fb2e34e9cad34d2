package io.lazyq.spark;

import io.lazyq.format.ColumnStats;
import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;

/**
 * Decides from a chunk's statistics (null count, min, max) whether any row of it can satisfy the
 * pushed predicates. It answers "might match" or "cannot match", never "all match", so Spark still
 * evaluates every predicate after the scan.
 *
 * <p>Understood: comparisons and {@code IN} of a numeric or timestamp column with literals,
 * {@code IS [NOT] NULL}, {@code AND}, {@code OR}. Float statistics ignore NaN and a NaN maximum means unbounded above, as
 * Spark orders NaN above every number.
 */
final class StatsFilter {
  private final List<Predicate> predicates;
  private final Schema schema;

  private StatsFilter(List<Predicate> predicates, Schema schema) {
    this.predicates = predicates;
    this.schema = schema;
  }

  static StatsFilter none(Schema schema) {
    return new StatsFilter(List.of(), schema);
  }

  /** Keeps the predicates that statistics can decide; returns them as the pushed ones. */
  static StatsFilter of(Predicate[] candidates, Schema schema) {
    List<Predicate> usable = new ArrayList<>();
    for (Predicate p : candidates) {
      if (supported(p, schema)) {
        usable.add(p);
      }
    }
    return new StatsFilter(List.copyOf(usable), schema);
  }

  Predicate[] predicates() {
    return predicates.toArray(new Predicate[0]);
  }

  boolean isEmpty() {
    return predicates.isEmpty();
  }

  /** Whether some row of the chunk might satisfy every predicate. */
  boolean mightMatch(ChunkDescriptor chunk) {
    for (Predicate p : predicates) {
      if (!mightMatch(p, chunk)) {
        return false;
      }
    }
    return true;
  }

  private static boolean supported(Predicate p, Schema schema) {
    switch (p.name()) {
      case "AND":
      case "OR":
        return supported((Predicate) p.children()[0], schema) && supported((Predicate) p.children()[1], schema);
      case "IS_NULL":
      case "IS_NOT_NULL":
        return column(p.children()[0], schema) >= 0;
      case "=": case "<=>": case "<": case "<=": case ">": case ">=":
        return comparison(p, schema) != null;
      case "IN": {
        int column = column(p.children()[0], schema);
        if (column < 0) {
          return false;
        }
        for (int i = 1; i < p.children().length; i++) {
          if (!(p.children()[i] instanceof Literal)
              || !comparable(((Literal<?>) p.children()[i]).value(), schema.field(column).type())) {
            return false;
          }
        }
        return true;
      }
      default:
        return false;
    }
  }

  private boolean mightMatch(Predicate p, ChunkDescriptor chunk) {
    Expression[] c = p.children();
    switch (p.name()) {
      case "AND":
        return mightMatch((Predicate) c[0], chunk) && mightMatch((Predicate) c[1], chunk);
      case "OR":
        return mightMatch((Predicate) c[0], chunk) || mightMatch((Predicate) c[1], chunk);
      case "IS_NULL":
        return stats(c[0], chunk).nullCount() > 0;
      case "IS_NOT_NULL":
        return stats(c[0], chunk).nullCount() < chunk.rows();
      case "IN": {
        for (int i = 1; i < c.length; i++) {
          if (inRange(column(c[0], schema), chunk, "=", ((Literal<?>) c[i]).value())) {
            return true;
          }
        }
        return false;
      }
      default: {
        Comparison cmp = comparison(p, schema);
        return inRange(cmp.column, chunk, cmp.op, cmp.value);
      }
    }
  }

  /** Whether some non-null value v of the column satisfies {@code v op value}. */
  private boolean inRange(int column, ChunkDescriptor chunk, String op, Object value) {
    ColumnStats s = chunk.column(column).stats();
    if (value == null) {
      return op.equals("<=>") ? s.nullCount() > 0 : false;
    }
    if (s.nullCount() >= chunk.rows()) {
      return false;
    }
    if (!s.hasMinMax()) {
      return true;
    }
    int lo;
    int hi;
    ColumnType.Kind kind = schema.field(column).type().kind();
    if (kind == ColumnType.Kind.FLOAT32 || kind == ColumnType.Kind.FLOAT64) {
      double v = ((Number) value).doubleValue();
      double max = s.max().doubleValue();
      if (Double.isNaN(v) || Double.isNaN(max)) {
        return true;
      }
      lo = Double.compare(s.min().doubleValue() == 0.0 ? 0.0 : s.min().doubleValue(), v == 0.0 ? 0.0 : v);
      hi = Double.compare(max == 0.0 ? 0.0 : max, v == 0.0 ? 0.0 : v);
    } else {
      long v = ((Number) value).longValue();
      lo = Long.compare(s.min().longValue(), v);
      hi = Long.compare(s.max().longValue(), v);
    }
    switch (op) {
      case "=": case "<=>": return lo <= 0 && hi >= 0;
      case "<": return lo < 0;
      case "<=": return lo <= 0;
      case ">": return hi > 0;
      case ">=": return hi >= 0;
      default: return true;
    }
  }

  private ColumnStats stats(Expression ref, ChunkDescriptor chunk) {
    return chunk.column(column(ref, schema)).stats();
  }

  /** A comparison normalised to {@code column op literal}. */
  private record Comparison(int column, String op, Object value) {}

  private static Comparison comparison(Predicate p, Schema schema) {
    Expression[] c = p.children();
    if (c.length != 2) {
      return null;
    }
    boolean flipped = c[0] instanceof Literal;
    Expression ref = flipped ? c[1] : c[0];
    Expression lit = flipped ? c[0] : c[1];
    int column = column(ref, schema);
    if (column < 0 || !(lit instanceof Literal) || !comparable(((Literal<?>) lit).value(), schema.field(column).type())) {
      return null;
    }
    String op = flipped ? flip(p.name()) : p.name();
    return new Comparison(column, op, ((Literal<?>) lit).value());
  }

  private static boolean comparable(Object value, ColumnType type) {
    switch (type.kind()) {
      case INT32: case INT64: case TIMESTAMP_MICROS:
        return value == null || value instanceof Integer || value instanceof Long || value instanceof Short
            || value instanceof Byte;
      case FLOAT32: case FLOAT64:
        return value == null || value instanceof Number;
      default:
        return false;
    }
  }

  private static String flip(String op) {
    switch (op) {
      case "<": return ">";
      case "<=": return ">=";
      case ">": return "<";
      case ">=": return "<=";
      default: return op;
    }
  }

  /** The ordinal of a top-level column reference, or -1. */
  private static int column(Expression e, Schema schema) {
    if (!(e instanceof NamedReference) || ((NamedReference) e).fieldNames().length != 1) {
      return -1;
    }
    int i = schema.indexOf(((NamedReference) e).fieldNames()[0]);
    return i >= 0 && !schema.field(i).type().isList() ? i : -1;
  }
}
