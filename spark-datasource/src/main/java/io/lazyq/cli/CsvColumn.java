package io.lazyq.cli;

import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;

/**
 * A column of a CSV import: its name, its type in the file, and how its cells spell values, which
 * is {@link CsvSpelling}'s for the type, or an integer epoch time in {@code epochUnit} where that is not null.
 */
record CsvColumn(String name, ColumnType type, EpochUnit epochUnit) {

  static CsvColumn of(String name, ColumnType type) {
    return new CsvColumn(name, type, null);
  }

  /** A timestamp column whose cells are integer epoch times in {@code unit}. */
  static CsvColumn epoch(String name, EpochUnit unit) {
    return new CsvColumn(name, ColumnType.TIMESTAMP, unit);
  }

  /** The value of a cell that is not null, or null where the cell does not spell one. */
  Object read(String cell) {
    return epochUnit == null ? CsvSpelling.read(type, cell) : CsvSpelling.epochMicros(cell, epochUnit);
  }

  /** What a cell of this column must spell, with its article, for messages: "an int64". */
  String expected() {
    if (epochUnit != null) {
      return "an integer epoch time in " + epochUnit;
    }
    String name = type.toString();
    return (name.startsWith("i") ? "an " : "a ") + name;
  }

  Field field() {
    return Field.of(name, type);
  }
}
