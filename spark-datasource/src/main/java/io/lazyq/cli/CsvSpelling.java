package io.lazyq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lazyq.format.ColumnType;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a CSV cell spells: null, or a value of a column type. Type inference and the import both
 * read cells only through this class, so that a column's inferred type is exactly one whose
 * spelling every one of its cells has.
 *
 * <ul>
 *   <li>null: an unquoted empty cell, or one of the null tokens; in a column that is not utf8 also a
 *       quoted empty cell (a number cannot be empty, a string can)
 *   <li>int64: an optional sign and decimal digits, within the range of a long
 *   <li>float64: a decimal number with an optional fraction and exponent, or {@code NaN},
 *       {@code Inf} or {@code Infinity} with an optional sign (case ignored)
 *   <li>bool: {@code true} or {@code false} (case ignored)
 *   <li>timestamp: ISO-8601 {@code yyyy-MM-ddTHH:mm[:ss[.fraction]]} with {@code T} or a space, and
 *       an optional offset ({@code Z}, {@code +08:00}); without one, UTC
 *   <li>utf8: any cell
 * </ul>
 */
final class CsvSpelling {
  /** The order in which inference tries a cell's spellings: the narrowest first. */
  private static final List<ColumnType> NARROWEST_FIRST =
      List.of(ColumnType.BOOL, ColumnType.INT64, ColumnType.FLOAT64, ColumnType.TIMESTAMP);

  private static final DateTimeFormatter ISO_TIMESTAMP = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
      .optionalStart().appendOffsetId().optionalEnd()
      .toFormatter(Locale.ROOT)
      .withChronology(IsoChronology.INSTANCE)
      .withResolverStyle(ResolverStyle.STRICT); // the default would read February 30 as the month's last day

  private final Set<String> nullTokens;

  /** Cells equal to one of {@code nullTokens} are null, beside empty ones. */
  CsvSpelling(Collection<String> nullTokens) {
    this.nullTokens = Set.copyOf(nullTokens);
  }

  /** Whether a cell is null in a column of {@code type}; {@code cell} is null where it was unquoted and empty. */
  boolean isNull(String cell, ColumnType type) {
    return cell == null || nullTokens.contains(cell) || (cell.isEmpty() && type.kind() != ColumnType.Kind.UTF8);
  }

  /** Whether a cell is null or empty, and so fits a column of any type. */
  boolean isBlank(String cell) {
    return cell == null || cell.isEmpty() || nullTokens.contains(cell);
  }

  /** The narrowest type that reads a cell that is not blank: bool, int64, float64, timestamp, else utf8. */
  static ColumnType narrowest(String cell) {
    for (ColumnType type : NARROWEST_FIRST) {
      if (read(type, cell) != null) {
        return type;
      }
    }
    return ColumnType.UTF8;
  }

  /**
   * The narrowest type that reads every cell that either type reads: int64 and float64 widen to
   * float64, other pairs of different types to utf8. {@code known} is null for "no cell yet".
   */
  static ColumnType widen(ColumnType known, ColumnType next) {
    if (known == null || known.equals(next)) {
      return next;
    }
    boolean numbers = (known.equals(ColumnType.INT64) || known.equals(ColumnType.FLOAT64))
        && (next.equals(ColumnType.INT64) || next.equals(ColumnType.FLOAT64));
    return numbers ? ColumnType.FLOAT64 : ColumnType.UTF8;
  }

  /**
   * A cell as the value of a column of {@code type} that {@link io.lazyq.format.LzqWriter#setObject}
   * takes, or null where the cell does not spell one. Lists are JSON arrays, as {@code cat} writes them.
   */
  static Object read(ColumnType type, String cell) {
    if (type.isList()) {
      return list(type.element(), cell);
    }
    switch (type.kind()) {
      case INT32: {
        Long v = int64(cell);
        return v != null && v == v.intValue() ? Integer.valueOf(v.intValue()) : null;
      }
      case INT64: return int64(cell);
      case FLOAT32: return float32(cell);
      case FLOAT64: return float64(cell);
      case BOOL: return bool(cell);
      case UTF8: return cell;
      case TIMESTAMP_MICROS: return timestampMicros(cell);
      default: throw new IllegalStateException(type.toString());
    }
  }

  /** An integer cell read as epoch time in {@code unit}, in microseconds; null where the cell is no integer or out of range. */
  static Long epochMicros(String cell, EpochUnit unit) {
    Long v = int64(cell);
    if (v == null) {
      return null;
    }
    try {
      return unit.toMicros(v);
    } catch (ArithmeticException outOfRange) {
      return null;
    }
  }

  private static Long int64(String cell) {
    int digits = digitsFrom(cell, signLength(cell, 0));
    if (digits == 0 || signLength(cell, 0) + digits != cell.length()) {
      return null;
    }
    try {
      return Long.parseLong(cell);
    } catch (NumberFormatException outOfRange) {
      return null;
    }
  }

  private static Double float64(String cell) {
    return isDecimal(cell) ? Double.valueOf(Double.parseDouble(cell)) : special(cell) ? special64(cell) : null;
  }

  /** The float nearest the decimal, which rounding its nearest double again would not always give. */
  private static Float float32(String cell) {
    return isDecimal(cell) ? Float.valueOf(Float.parseFloat(cell)) : special(cell) ? (float) (double) special64(cell) : null;
  }

  /**
   * {@code [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?}: the decimal part of the float spelling, and
   * nothing that {@link Double#parseDouble} accepts beyond it (such as {@code 1d} or hex).
   */
  private static boolean isDecimal(String s) {
    int i = signLength(s, 0);
    int whole = digitsFrom(s, i);
    i += whole;
    int fraction = 0;
    if (i < s.length() && s.charAt(i) == '.') {
      fraction = digitsFrom(s, i + 1);
      i += 1 + fraction;
    }
    if (whole + fraction == 0) {
      return false;
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i += 1 + signLength(s, i + 1);
      int exponent = digitsFrom(s, i);
      if (exponent == 0) {
        return false;
      }
      i += exponent;
    }
    return i == s.length();
  }

  private static boolean special(String s) {
    String t = s.substring(signLength(s, 0)).toLowerCase(Locale.ROOT);
    return t.equals("nan") || t.equals("inf") || t.equals("infinity");
  }

  private static Double special64(String s) {
    if (s.substring(signLength(s, 0)).equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  private static int signLength(String s, int at) {
    return at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-') ? 1 : 0;
  }

  private static int digitsFrom(String s, int at) {
    int i = at;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i - at;
  }

  private static Boolean bool(String cell) {
    return cell.equalsIgnoreCase("true") ? Boolean.TRUE : cell.equalsIgnoreCase("false") ? Boolean.FALSE : null;
  }

  private static Long timestampMicros(String cell) {
    // The shape check keeps the parser, and its exceptions, away from cells that are plainly no date.
    if (cell.length() < 16 || cell.charAt(4) != '-' || cell.charAt(7) != '-') {
      return null;
    }
    String iso = cell.charAt(10) == ' ' ? cell.substring(0, 10) + 'T' + cell.substring(11) : cell;
    try {
      TemporalAccessor t = ISO_TIMESTAMP.parse(iso);
      // Asking for the offset, rather than trying OffsetDateTime first, spares an exception per local time.
      int offset = t.isSupported(ChronoField.OFFSET_SECONDS) ? t.get(ChronoField.OFFSET_SECONDS) : 0;
      long seconds = LocalDateTime.from(t).toEpochSecond(ZoneOffset.ofTotalSeconds(offset));
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), t.get(ChronoField.NANO_OF_SECOND) / 1000);
    } catch (DateTimeException | ArithmeticException notATimestamp) {
      return null;
    }
  }

  private static Object list(ColumnType.Kind element, String cell) {
    JsonNode node;
    try {
      node = RowFormat.JSON.readTree(cell);
    } catch (IOException notJson) {
      return null;
    }
    if (node == null || !node.isArray()) {
      return null;
    }
    try {
      return array(element, node);
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  private static Object array(ColumnType.Kind element, JsonNode node) {
    int n = node.size();
    switch (element) {
      case FLOAT32: { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) number(node.get(i)); return a; }
      case FLOAT64: { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = number(node.get(i)); return a; }
      case INT32: { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = node.get(i).intValue(); return a; }
      case INT64: case TIMESTAMP_MICROS: { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = node.get(i).longValue(); return a; }
      case BOOL: { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = node.get(i).booleanValue(); return a; }
      default: throw new IllegalStateException(element.toString());
    }
  }

  /** JSON numbers, plus the strings "NaN" and "Infinity" that {@code cat} writes for them. */
  private static double number(JsonNode n) {
    if (n.isTextual()) {
      Double v = float64(n.textValue());
      if (v == null) {
        throw new NumberFormatException("'" + n.textValue() + "' is not a number");
      }
      return v;
    }
    return n.doubleValue();
  }
}
