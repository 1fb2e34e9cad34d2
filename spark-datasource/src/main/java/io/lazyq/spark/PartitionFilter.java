package io.lazyq.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;

/**
 * Partition pruning: decides from a file's partition values alone, before its footer is read,
 * whether any row of it can satisfy the pushed predicates. A predicate is evaluated with SQL's
 * three values plus "unknown" for what depends on data columns (or on expressions it does not
 * understand), so that {@code day = d AND value > 5} and {@code day = d OR day = e} prune while
 * {@code day = d OR value > 5} keeps every file. A file is dropped only where a predicate is false
 * or null for its values, since Spark keeps no row then; Spark still evaluates every predicate.
 *
 * <p>Understood: {@code =}, {@code <=>}, {@code <}, {@code <=}, {@code >}, {@code >=} between a
 * partition column and a literal (either side), {@code IN}, {@code IS [NOT] NULL}, {@code AND},
 * {@code OR}, {@code NOT}, {@code ALWAYS_TRUE}, {@code ALWAYS_FALSE}.
 */
final class PartitionFilter {
  /** A predicate's value for a file: SQL's true, false and null, and unknown. */
  private enum Truth { TRUE, FALSE, NULL, UNKNOWN }

  private final PartitionColumns columns;
  private final List<Predicate> predicates;

  private PartitionFilter(PartitionColumns columns, List<Predicate> predicates) {
    this.columns = columns;
    this.predicates = predicates;
  }

  static PartitionFilter none(PartitionColumns columns) {
    return new PartitionFilter(columns, List.of());
  }

  /** Keeps the predicates that name a partition column; the others cannot prune a file. */
  static PartitionFilter of(Predicate[] candidates, PartitionColumns columns) {
    List<Predicate> kept = new ArrayList<>();
    for (Predicate p : candidates) {
      if (Arrays.stream(p.references()).anyMatch(r -> index(r, columns) >= 0)) {
        kept.add(p);
      }
    }
    return new PartitionFilter(columns, List.copyOf(kept));
  }

  /** This filter and more predicates, such as those of Spark's runtime filtering. */
  PartitionFilter and(Predicate[] more) {
    List<Predicate> all = new ArrayList<>(predicates);
    all.addAll(of(more, columns).predicates);
    return new PartitionFilter(columns, List.copyOf(all));
  }

  Predicate[] predicates() {
    return predicates.toArray(new Predicate[0]);
  }

  boolean isEmpty() {
    return predicates.isEmpty();
  }

  /** Whether some row of a file with these partition values (internal values, by column) might match. */
  boolean mightMatch(Object[] values) {
    for (Predicate p : predicates) {
      Truth t = eval(p, values);
      if (t == Truth.FALSE || t == Truth.NULL) {
        return false;
      }
    }
    return true;
  }

  private Truth eval(Predicate p, Object[] values) {
    Expression[] c = p.children();
    switch (p.name()) {
      case "ALWAYS_TRUE":
        return Truth.TRUE;
      case "ALWAYS_FALSE":
        return Truth.FALSE;
      case "AND": {
        Truth a = eval((Predicate) c[0], values);
        Truth b = eval((Predicate) c[1], values);
        if (a == Truth.FALSE || b == Truth.FALSE) {
          return Truth.FALSE;
        }
        if (a == Truth.UNKNOWN || b == Truth.UNKNOWN) {
          return Truth.UNKNOWN;
        }
        return a == Truth.NULL || b == Truth.NULL ? Truth.NULL : Truth.TRUE;
      }
      case "OR": {
        Truth a = eval((Predicate) c[0], values);
        Truth b = eval((Predicate) c[1], values);
        if (a == Truth.TRUE || b == Truth.TRUE) {
          return Truth.TRUE;
        }
        if (a == Truth.UNKNOWN || b == Truth.UNKNOWN) {
          return Truth.UNKNOWN;
        }
        return a == Truth.NULL || b == Truth.NULL ? Truth.NULL : Truth.FALSE;
      }
      case "NOT": {
        Truth a = eval((Predicate) c[0], values);
        return a == Truth.TRUE ? Truth.FALSE : a == Truth.FALSE ? Truth.TRUE : a;
      }
      case "IS_NULL":
      case "IS_NOT_NULL": {
        int i = index(c[0], columns);
        if (i < 0) {
          return Truth.UNKNOWN;
        }
        return (values[i] == null) == p.name().equals("IS_NULL") ? Truth.TRUE : Truth.FALSE;
      }
      case "IN": {
        int i = index(c[0], columns);
        if (i < 0) {
          return Truth.UNKNOWN;
        }
        Truth result = Truth.FALSE;
        for (int k = 1; k < c.length; k++) {
          Truth t = compare("=", values[i], c[k]);
          if (t == Truth.TRUE) {
            return Truth.TRUE;
          }
          if (t != Truth.FALSE) {
            result = t == Truth.UNKNOWN || result == Truth.UNKNOWN ? Truth.UNKNOWN : Truth.NULL;
          }
        }
        return result;
      }
      case "=": case "<=>": case "<": case "<=": case ">": case ">=": {
        int left = index(c[0], columns);
        int right = index(c[1], columns);
        if (left >= 0 && c[1] instanceof Literal<?>) {
          return compare(p.name(), values[left], c[1]);
        }
        if (right >= 0 && c[0] instanceof Literal<?>) {
          return compare(flip(p.name()), values[right], c[0]);
        }
        return Truth.UNKNOWN;
      }
      default:
        return Truth.UNKNOWN;
    }
  }

  /** {@code value op literal}, for a literal of the column's own type; unknown for any other literal. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Truth compare(String op, Object value, Expression literal) {
    if (!(literal instanceof Literal<?> l)) {
      return Truth.UNKNOWN;
    }
    Object other = l.value();
    if (op.equals("<=>")) {
      if (value == null || other == null) {
        return value == null && other == null ? Truth.TRUE : Truth.FALSE;
      }
    } else if (value == null || other == null) {
      return Truth.NULL;
    }
    if (value.getClass() != other.getClass() || !(value instanceof Comparable)) {
      return Truth.UNKNOWN; // Spark casts a column compared with another type: not a plain reference
    }
    int cmp = ((Comparable) value).compareTo(other);
    boolean holds = switch (op) {
      case "=", "<=>" -> cmp == 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      case ">" -> cmp > 0;
      case ">=" -> cmp >= 0;
      default -> throw new IllegalStateException(op);
    };
    return holds ? Truth.TRUE : Truth.FALSE;
  }

  private static String flip(String op) {
    return switch (op) {
      case "<" -> ">";
      case "<=" -> ">=";
      case ">" -> "<";
      case ">=" -> "<=";
      default -> op;
    };
  }

  /** The partition column that an expression names, or -1. */
  private static int index(Expression e, PartitionColumns columns) {
    if (!(e instanceof NamedReference r) || r.fieldNames().length != 1) {
      return -1;
    }
    String[] names = columns.schema().fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(r.fieldNames()[0])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return predicates.toString();
  }
}
