package io.lazyq.format;

import java.util.Locale;
import java.util.Objects;

/**
 * The logical type of a column: a primitive, or {@code list<primitive>} for arrays such as sensor
 * windows or tensor rows. Lists nest one level only; their elements are never null.
 */
public final class ColumnType {

  /** A primitive kind, with its stable identifier in the file and its width in bytes. */
  public enum Kind {
    INT32(1, 4),
    INT64(2, 8),
    FLOAT32(3, 4),
    FLOAT64(4, 8),
    BOOL(5, 0),
    UTF8(6, 0),
    /** Microseconds since the epoch, UTC, stored as int64 (Spark's {@code TimestampType}). */
    TIMESTAMP_MICROS(7, 8),
    LIST(8, 0);

    private final int id;
    private final int width;

    Kind(int id, int width) {
      this.id = id;
      this.width = width;
    }

    public int id() {
      return id;
    }

    /** Bytes per value of a fixed-width kind; 0 for bool (bit-packed), utf8 and list. */
    public int width() {
      return width;
    }

    public boolean isFixedWidth() {
      return width > 0;
    }

    /** Lists hold fixed-width values or bits, never strings or lists. */
    public boolean isListElement() {
      return width > 0 || this == BOOL;
    }

    public boolean isNumeric() {
      return this == INT32 || this == INT64 || this == FLOAT32 || this == FLOAT64 || this == TIMESTAMP_MICROS;
    }

    static Kind byId(int id) {
      for (Kind k : values()) {
        if (k.id == id) {
          return k;
        }
      }
      return null;
    }
  }

  public static final ColumnType INT32 = new ColumnType(Kind.INT32, null);
  public static final ColumnType INT64 = new ColumnType(Kind.INT64, null);
  public static final ColumnType FLOAT32 = new ColumnType(Kind.FLOAT32, null);
  public static final ColumnType FLOAT64 = new ColumnType(Kind.FLOAT64, null);
  public static final ColumnType BOOL = new ColumnType(Kind.BOOL, null);
  public static final ColumnType UTF8 = new ColumnType(Kind.UTF8, null);
  public static final ColumnType TIMESTAMP = new ColumnType(Kind.TIMESTAMP_MICROS, null);

  private final Kind kind;
  private final Kind element;

  private ColumnType(Kind kind, Kind element) {
    this.kind = kind;
    this.element = element;
  }

  /** {@code list<element>}; the element must be a fixed-width primitive or bool. */
  public static ColumnType listOf(ColumnType element) {
    if (!element.kind.isListElement()) {
      throw new IllegalArgumentException("list elements must be fixed-width primitives or bool, not " + element);
    }
    return new ColumnType(Kind.LIST, element.kind);
  }

  public static ColumnType of(Kind kind) {
    switch (kind) {
      case INT32: return INT32;
      case INT64: return INT64;
      case FLOAT32: return FLOAT32;
      case FLOAT64: return FLOAT64;
      case BOOL: return BOOL;
      case UTF8: return UTF8;
      case TIMESTAMP_MICROS: return TIMESTAMP;
      default: throw new IllegalArgumentException("a list needs an element type");
    }
  }

  /** Parses the spelling {@link #toString()} gives: {@code float32}, {@code list<float32>}, ... */
  public static ColumnType parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("list<") && t.endsWith(">")) {
      return listOf(parse(t.substring(5, t.length() - 1)));
    }
    switch (t) {
      case "int32": case "int": return INT32;
      case "int64": case "long": case "bigint": return INT64;
      case "float32": case "float": return FLOAT32;
      case "float64": case "double": return FLOAT64;
      case "bool": case "boolean": return BOOL;
      case "utf8": case "string": return UTF8;
      case "timestamp": return TIMESTAMP;
      default:
        throw new IllegalArgumentException("unknown column type '" + text
            + "'; valid: int32, int64, float32, float64, bool, utf8, timestamp, list<T> of a fixed-width T");
    }
  }

  public Kind kind() {
    return kind;
  }

  /** The element kind of a list, or {@code null}. */
  public Kind element() {
    return element;
  }

  public boolean isList() {
    return kind == Kind.LIST;
  }

  /** Whether values (or list elements) are float32, the type that quantized encodings hold. */
  public boolean holdsFloat32() {
    return kind == Kind.FLOAT32 || element == Kind.FLOAT32;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnType && ((ColumnType) o).kind == kind && ((ColumnType) o).element == element;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, element);
  }

  @Override
  public String toString() {
    return isList() ? "list<" + name(element) + ">" : name(kind);
  }

  private static String name(Kind k) {
    return k == Kind.TIMESTAMP_MICROS ? "timestamp" : k.name().toLowerCase(Locale.ROOT);
  }
}
