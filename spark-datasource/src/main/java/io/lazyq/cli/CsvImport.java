package io.lazyq.cli;

import io.lazyq.format.ColumnType;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Streams a CSV file with a header row into a {@code .lzq} file with bounded memory: one chunk of
 * rows, and while the schema is inferred, one type per column.
 *
 * <p>Without a schema, a first pass reads the file (or its first rows) and keeps for each column
 * the narrowest type that reads every cell so far, widening int64 to float64 to utf8 as a cell
 * needs it, as Spark's CSV inference does over a whole input; the second pass imports. Both read
 * cells through {@link CsvSpelling}, so that a whole-file inference cannot choose a type that the
 * import then fails on.
 */
final class CsvImport {
  private CsvImport() {}

  /** Parses {@code name:type,...}. */
  static Schema parseSchema(String spec) {
    List<Field> fields = new ArrayList<>();
    for (String part : splitTopLevel(spec)) {
      int colon = part.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("schema entry '" + part + "' is not name:type");
      }
      fields.add(Field.of(part.substring(0, colon).trim(), ColumnType.parse(part.substring(colon + 1))));
    }
    return new Schema(fields, Map.of());
  }

  /**
   * Imports {@code csv} into {@code out} and returns the rows written. On any failure nothing is
   * left under {@code out}, and a file that was there before is kept.
   *
   * @param progress told the characters read so far, over {@link CsvOptions#passes()} passes of about the file's size each
   */
  static long run(Path csv, Path out, CsvOptions csvOptions, EncodingSpec encodings, WriterOptions options,
      LongConsumer progress) throws IOException {
    List<CsvColumn> columns = columns(csv, csvOptions, encodings, progress);
    Schema schema = encodings.applyTo(new Schema(columns.stream().map(CsvColumn::field).toList(), Map.of()));
    long firstPass = csvOptions.passes() > 1 ? Files.size(csv) : 0;
    try (CsvRows rows = CsvRows.open(csv); LzqWriter w = LzqWriter.create(out, schema, options)) {
      write(rows, columns, csvOptions, w, chars -> progress.accept(firstPass + chars));
      w.commit();
      return w.rowCount();
    }
  }

  /** The columns of a CSV file: those of the given schema, or inferred in a pass over the file. */
  private static List<CsvColumn> columns(Path csv, CsvOptions csvOptions, EncodingSpec encodings, LongConsumer progress)
      throws IOException {
    try (CsvRows rows = CsvRows.open(csv)) {
      List<String> header = rows.header();
      for (String name : csvOptions.epochColumns().keySet()) {
        if (!header.contains(name)) {
          throw new IllegalArgumentException("no column '" + name + "' for --timestamp; columns: " + header);
        }
      }
      List<CsvColumn> columns = csvOptions.schema() != null
          ? given(rows, csvOptions.schema())
          : inferred(rows, csvOptions, encodings, progress);
      List<CsvColumn> read = new ArrayList<>();
      for (CsvColumn c : columns) {
        EpochUnit unit = csvOptions.epochColumns().get(c.name());
        read.add(unit == null ? c : CsvColumn.epoch(c.name(), unit));
      }
      return read;
    }
  }

  private static List<CsvColumn> given(CsvRows rows, Schema schema) throws IOException {
    List<String> header = rows.header();
    if (header.size() != schema.size()) {
      throw rows.error("the header has " + header.size() + " columns, the schema " + schema.size());
    }
    List<CsvColumn> columns = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      Field f = schema.field(i);
      if (!f.name().equals(header.get(i))) {
        throw rows.error("header column " + (i + 1) + " is '" + header.get(i) + "', the schema says '" + f.name() + "'");
      }
      columns.add(CsvColumn.of(f.name(), f.type()));
    }
    return columns;
  }

  private static List<CsvColumn> inferred(CsvRows rows, CsvOptions csvOptions, EncodingSpec encodings,
      LongConsumer progress) throws IOException {
    List<String> header = rows.header();
    CsvSpelling spelling = csvOptions.spelling();
    ColumnType[] types = new ColumnType[header.size()]; // null until a column's first value
    boolean[] epoch = new boolean[header.size()];
    for (int c = 0; c < epoch.length; c++) {
      epoch[c] = csvOptions.epochColumns().containsKey(header.get(c));
    }
    String[] row;
    for (long n = 0; n < csvOptions.inferRows() && (row = rows.next()) != null; n++) {
      for (int c = 0; c < row.length; c++) {
        String cell = row[c];
        if (epoch[c] || spelling.isBlank(cell)) {
          continue;
        }
        if (types[c] == null || CsvSpelling.read(types[c], cell) == null) {
          types[c] = CsvSpelling.widen(types[c], CsvSpelling.narrowest(cell));
        }
      }
      if ((n & 0x3FFF) == 0) {
        progress.accept(rows.chars());
      }
    }
    List<CsvColumn> columns = new ArrayList<>();
    for (int c = 0; c < types.length; c++) {
      String name = header.get(c).isEmpty() ? "c" + c : header.get(c);
      columns.add(CsvColumn.of(name, narrowed(name, types[c], csvOptions, encodings)));
    }
    return columns;
  }

  /**
   * The type to write an inferred column as: float64 narrowed to float32 where asked, or where
   * the column is to be quantized (which only float32 columns can be); no value at all is utf8.
   */
  private static ColumnType narrowed(String name, ColumnType inferred, CsvOptions csvOptions, EncodingSpec encodings) {
    if (inferred == null) {
      return ColumnType.UTF8;
    }
    boolean number = inferred.equals(ColumnType.FLOAT64) || inferred.equals(ColumnType.INT64);
    if ((number && encodings.names(name)) || (inferred.equals(ColumnType.FLOAT64) && csvOptions.float32())) {
      return ColumnType.FLOAT32;
    }
    return inferred;
  }

  private static void write(CsvRows rows, List<CsvColumn> columns, CsvOptions csvOptions, LzqWriter w,
      LongConsumer progress) throws IOException {
    CsvSpelling spelling = csvOptions.spelling();
    for (String[] row; (row = rows.next()) != null; ) {
      for (int c = 0; c < row.length; c++) {
        String cell = row[c];
        CsvColumn column = columns.get(c);
        if (spelling.isNull(cell, column.type())) {
          continue; // a column left unset in a row is null
        }
        Object value = column.read(cell);
        if (value == null) {
          throw rows.badCell(column.name(), cell, "is not " + column.expected() + whyExpected(csvOptions, column));
        }
        w.setObject(c, value);
      }
      w.endRow();
      if ((w.rowCount() & 0x3FFF) == 0) {
        progress.accept(rows.chars());
      }
    }
  }

  /** Where a column's type came from, where it was not from reading every cell. */
  private static String whyExpected(CsvOptions csvOptions, CsvColumn column) {
    if (column.epochUnit() != null) {
      return " (--timestamp " + column.name() + "=" + column.epochUnit() + ")";
    }
    if (csvOptions.schema() != null) {
      return " (as --schema says)";
    }
    return csvOptions.inferRows() == Long.MAX_VALUE ? ""
        : " (the type inferred from the first " + csvOptions.inferRows()
            + " rows; raise --infer-rows, or give --schema)";
  }

  /** Splits on commas outside angle brackets, so that {@code list<float32>} stays whole. */
  private static List<String> splitTopLevel(String spec) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < spec.length(); i++) {
      char ch = spec.charAt(i);
      if (ch == '<') depth++;
      if (ch == '>') depth--;
      if (ch == ',' && depth == 0) {
        parts.add(spec.substring(start, i).trim());
        start = i + 1;
      }
    }
    if (start < spec.length()) {
      parts.add(spec.substring(start).trim());
    }
    return parts;
  }
}
