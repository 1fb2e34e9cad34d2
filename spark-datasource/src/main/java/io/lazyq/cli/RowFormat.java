package io.lazyq.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows as text: CSV (RFC 4180; a null is an empty field, an empty string is {@code ""}) or JSON
 * lines. Timestamps print as ISO-8601 instants in UTC and lists as JSON arrays, so that
 * {@code convert} reads back exactly what {@code cat} prints.
 */
abstract class RowFormat implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  abstract void header(List<Field> fields) throws IOException;

  abstract void row(List<Field> fields, Object[] values) throws IOException;

  static RowFormat of(String name, Writer out) {
    switch (name) {
      case "csv": return new Csv(out);
      case "jsonl": return new JsonLines(out);
      default: throw new IllegalArgumentException("unknown format '" + name + "'; valid: csv, jsonl");
    }
  }

  /** A value as JSON-ready Java: timestamps become ISO strings, primitive arrays stay arrays. */
  static Object jsonValue(ColumnType type, Object v) {
    if (v == null) {
      return null;
    }
    if (type.kind() == ColumnType.Kind.TIMESTAMP_MICROS) {
      return timestamp((Long) v);
    }
    return v;
  }

  static String text(ColumnType type, Object v) throws IOException {
    if (v == null) {
      return null;
    }
    if (type.isList()) {
      return JSON.writeValueAsString(v);
    }
    if (type.kind() == ColumnType.Kind.TIMESTAMP_MICROS) {
      return timestamp((Long) v);
    }
    return v.toString();
  }

  static String timestamp(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L).toString();
  }

  private static final class Csv extends RowFormat {
    private final CsvWriter csv;

    Csv(Writer out) {
      CsvWriterSettings s = new CsvWriterSettings();
      s.setNullValue("");
      s.setEmptyValue("\"\"");
      s.getFormat().setLineSeparator("\n");
      this.csv = new CsvWriter(out, s);
    }

    @Override
    void header(List<Field> fields) {
      csv.writeHeaders(fields.stream().map(Field::name).toArray(String[]::new));
    }

    @Override
    void row(List<Field> fields, Object[] values) throws IOException {
      Object[] cells = new Object[values.length];
      for (int i = 0; i < values.length; i++) {
        cells[i] = text(fields.get(i).type(), values[i]);
      }
      csv.writeRow(cells);
    }

    @Override
    public void close() {
      csv.flush();
    }
  }

  private static final class JsonLines extends RowFormat {
    private final Writer out;
    private final JsonGenerator gen;

    JsonLines(Writer out) {
      this.out = out;
      try {
        this.gen = JSON.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        gen.setRootValueSeparator(null);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    void header(List<Field> fields) {}

    @Override
    void row(List<Field> fields, Object[] values) throws IOException {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        m.put(fields.get(i).name(), jsonValue(fields.get(i).type(), values[i]));
      }
      JSON.writeValue(gen, m);
      gen.flush();
      out.write('\n');
    }

    @Override
    public void close() throws IOException {
      gen.close();
      out.flush();
    }
  }
}
