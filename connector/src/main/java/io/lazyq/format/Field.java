package io.lazyq.format;

import java.util.Objects;

/**
 * One column of a {@link Schema}.
 *
 * @param name the column name, unique within the schema
 * @param type the logical type
 * @param nullable whether the column may hold nulls
 * @param encoding how values are stored; quantized encodings need a float32 type or list of float32
 */
public record Field(String name, ColumnType type, boolean nullable, ColumnEncoding encoding) {

  public Field {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(encoding, "encoding");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a column needs a name");
    }
    if (encoding.isQuantized() && !type.holdsFloat32()) {
      throw new IllegalArgumentException("column '" + name + "' is " + type + ": only float32 and list<float32>"
          + " columns can be quantized (" + encoding + ")");
    }
  }

  public static Field of(String name, ColumnType type) {
    return new Field(name, type, true, ColumnEncoding.PLAIN);
  }

  public Field withEncoding(ColumnEncoding newEncoding) {
    return new Field(name, type, nullable, newEncoding);
  }
}
