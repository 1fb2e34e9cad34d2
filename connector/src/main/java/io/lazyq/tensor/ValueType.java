package io.lazyq.tensor;

import java.util.Optional;

/** The type of a metadata value: GGUF's {@code gguf_type}, whose ids files store. */
public enum ValueType {
  UINT8(0, 1),
  INT8(1, 1),
  UINT16(2, 2),
  INT16(3, 2),
  UINT32(4, 4),
  INT32(5, 4),
  FLOAT32(6, 4),
  BOOL(7, 1),
  /** A UTF-8 string: a uint64 length, then the bytes. */
  STRING(8, 8),
  /** An element type, a uint64 count, then the elements. */
  ARRAY(9, 12),
  UINT64(10, 8),
  INT64(11, 8),
  FLOAT64(12, 8);

  private final int id;
  private final int minBytes;

  ValueType(int id, int minBytes) {
    this.id = id;
    this.minBytes = minBytes;
  }

  /** The id GGUF stores. */
  public int id() {
    return id;
  }

  /** The fewest bytes one value of this type takes in a GGUF file (its width, if fixed). */
  public int minBytes() {
    return minBytes;
  }

  public boolean isFixedWidth() {
    return this != STRING && this != ARRAY;
  }

  public boolean isInteger() {
    return isFixedWidth() && this != FLOAT32 && this != FLOAT64 && this != BOOL;
  }

  public boolean isUnsigned() {
    return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Optional<ValueType> byId(int id) {
    for (ValueType t : values()) {
      if (t.id == id) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
