package io.lazyq.tensor;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed metadata value. Scalars are held as {@link Long} (every integer type, unsigned ones
 * zero-extended, UINT64 as its two's-complement bits), {@link Float}, {@link Double},
 * {@link Boolean} or {@link String}. Arrays are held as primitive arrays of the element's own width
 * ({@code byte[]} for UINT8/INT8, {@code short[]}, {@code int[]}, {@code long[]}, {@code float[]},
 * {@code double[]}, {@code boolean[]}, {@code String[]}), so that an array in memory is no larger
 * than in the file.
 */
public final class MetadataValue {
  private final ValueType type;
  private final ValueType elementType;
  private final Object value;

  private MetadataValue(ValueType type, ValueType elementType, Object value) {
    this.type = type;
    this.elementType = elementType;
    this.value = value;
  }

  /** An integer scalar of {@code type}; the value must fit it. */
  public static MetadataValue integer(ValueType type, long v) {
    if (!type.isInteger()) {
      throw new IllegalArgumentException(type + " is not an integer type");
    }
    int bits = type.minBytes() * 8;
    if (bits < 64) {
      long min = type.isUnsigned() ? 0 : -(1L << (bits - 1));
      long max = type.isUnsigned() ? (1L << bits) - 1 : (1L << (bits - 1)) - 1;
      if (v < min || v > max) {
        throw new IllegalArgumentException(v + " does not fit " + type.label());
      }
    }
    return new MetadataValue(type, null, v);
  }

  public static MetadataValue uint32(long v) {
    return integer(ValueType.UINT32, v);
  }

  public static MetadataValue float32(float v) {
    return new MetadataValue(ValueType.FLOAT32, null, v);
  }

  public static MetadataValue float64(double v) {
    return new MetadataValue(ValueType.FLOAT64, null, v);
  }

  public static MetadataValue bool(boolean v) {
    return new MetadataValue(ValueType.BOOL, null, v);
  }

  public static MetadataValue string(String v) {
    return new MetadataValue(ValueType.STRING, null, Objects.requireNonNull(v));
  }

  /**
   * An array of {@code elementType}, held in the primitive array that the class comment gives for
   * that type (not copied). Nested arrays are not supported.
   */
  public static MetadataValue array(ValueType elementType, Object elements) {
    Class<?> expected = arrayClass(elementType);
    if (elements == null || elements.getClass() != expected) {
      throw new IllegalArgumentException("an array of " + elementType.label() + " is held as "
          + expected.getSimpleName());
    }
    return new MetadataValue(ValueType.ARRAY, elementType, elements);
  }

  static Class<?> arrayClass(ValueType elementType) {
    switch (elementType) {
      case UINT8: case INT8: return byte[].class;
      case UINT16: case INT16: return short[].class;
      case UINT32: case INT32: return int[].class;
      case UINT64: case INT64: return long[].class;
      case FLOAT32: return float[].class;
      case FLOAT64: return double[].class;
      case BOOL: return boolean[].class;
      case STRING: return String[].class;
      default: throw new IllegalArgumentException("nested arrays are not supported");
    }
  }

  public ValueType type() {
    return type;
  }

  /** The element type of an array, or {@code null} for a scalar. */
  public ValueType elementType() {
    return elementType;
  }

  public boolean isArray() {
    return type == ValueType.ARRAY;
  }

  /** The held value (see the class comment); arrays are not copied, so do not change them. */
  public Object value() {
    return value;
  }

  public long asLong() {
    if (value instanceof Long l) {
      return l;
    }
    throw new IllegalStateException(describeType() + " is not an integer");
  }

  public double asDouble() {
    if (value instanceof Number n && !(value instanceof Long && type == ValueType.UINT64)) {
      return n.doubleValue();
    }
    throw new IllegalStateException(describeType() + " is not a number");
  }

  public String asString() {
    if (value instanceof String s) {
      return s;
    }
    throw new IllegalStateException(describeType() + " is not a string");
  }

  public boolean asBoolean() {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new IllegalStateException(describeType() + " is not a bool");
  }

  /** Number of elements of an array; 1 for a scalar. */
  public int length() {
    return isArray() ? Array.getLength(value) : 1;
  }

  /** Element {@code i} of an array, boxed as a scalar of the element type would be. */
  public Object element(int i) {
    if (!isArray()) {
      throw new IllegalStateException("not an array");
    }
    Object e = Array.get(value, i);
    switch (elementType) {
      case UINT8: return (long) Byte.toUnsignedInt((Byte) e);
      case UINT16: return (long) Short.toUnsignedInt((Short) e);
      case UINT32: return Integer.toUnsignedLong((Integer) e);
      case INT8: case INT16: case INT32: return ((Number) e).longValue();
      default: return e;
    }
  }

  /** A value for display: UINT64 unsigned, arrays with at most {@code maxElements} elements. */
  public String display(int maxElements) {
    if (!isArray()) {
      return scalarText(type, value);
    }
    int n = length();
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < Math.min(n, maxElements); i++) {
      sb.append(i > 0 ? ", " : "").append(scalarText(elementType, element(i)));
    }
    if (n > maxElements) {
      sb.append(", ... (").append(n).append(" elements)");
    }
    return sb.append(']').toString();
  }

  private static String scalarText(ValueType t, Object v) {
    if (t == ValueType.UINT64) {
      return Long.toUnsignedString((Long) v);
    }
    return t == ValueType.STRING ? '"' + (String) v + '"' : String.valueOf(v);
  }

  private String describeType() {
    return isArray() ? "an array of " + elementType.label() : "a " + type.label();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetadataValue m && type == m.type && elementType == m.elementType
        && Arrays.deepEquals(new Object[] {value}, new Object[] {m.value});
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, elementType, Arrays.deepHashCode(new Object[] {value}));
  }

  @Override
  public String toString() {
    return (isArray() ? "array<" + elementType.label() + ">" : type.label()) + " " + display(8);
  }
}
