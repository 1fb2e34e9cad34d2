package io.lazyq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.lazyq.LazyQFormatException;
import io.lazyq.format.ColumnType;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Streams a CSV file with a header row into a {@code .lzq} file with bounded memory: the rows of
 * one chunk, plus the first rows sampled to infer a schema when none is given.
 */
final class CsvImport {
  static final int INFERENCE_ROWS = 1000;

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
    return new Schema(fields, java.util.Map.of());
  }

  static long run(Path csv, Path out, String schemaSpec, EncodingSpec encodings, WriterOptions options,
      LongConsumer progressBytes) throws IOException {
    String source = csv.toString();
    CsvParserSettings settings = new CsvParserSettings();
    settings.setNullValue(null);
    settings.setEmptyValue("");
    settings.setHeaderExtractionEnabled(false);
    settings.setMaxCharsPerColumn(-1);
    settings.setLineSeparatorDetectionEnabled(true);
    CsvParser parser = new CsvParser(settings);
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      parser.beginParsing(reader);
      String[] header = parser.parseNext();
      if (header == null) {
        throw new LazyQFormatException(source, 0, "empty CSV: no header row");
      }
      List<String[]> sample = new ArrayList<>();
      if (schemaSpec == null) {
        for (String[] row; sample.size() < INFERENCE_ROWS && (row = parser.parseNext()) != null; ) {
          sample.add(row);
        }
      }
      Schema schema = schemaSpec != null ? parseSchema(schemaSpec) : infer(header, sample, encodings);
      checkHeader(source, header, schema);
      schema = encodings.applyTo(schema);
      try (LzqWriter w = LzqWriter.create(out, schema, options)) {
        for (String[] row : sample) {
          append(w, schema, row, source, parser);
        }
        for (String[] row; (row = parser.parseNext()) != null; ) {
          append(w, schema, row, source, parser);
          if ((w.rowCount() & 0x3FFF) == 0) {
            progressBytes.accept(parser.getContext().currentChar());
          }
        }
        w.commit();
        return w.rowCount();
      }
    } finally {
      parser.stopParsing();
    }
  }

  private static void checkHeader(String source, String[] header, Schema schema) throws LazyQFormatException {
    if (header.length != schema.size()) {
      throw new LazyQFormatException(source, 0, "the header has " + header.length + " columns, the schema " + schema.size());
    }
    for (int i = 0; i < header.length; i++) {
      if (!schema.field(i).name().equals(header[i] == null ? "" : header[i].trim())) {
        throw new LazyQFormatException(source, 0, "header column " + (i + 1) + " is '" + header[i]
            + "', the schema says '" + schema.field(i).name() + "'");
      }
    }
  }

  private static void append(LzqWriter w, Schema schema, String[] row, String source, CsvParser parser)
      throws IOException {
    long line = parser.getContext().currentLine();
    if (row.length != schema.size()) {
      throw new LazyQFormatException(source, parser.getContext().currentChar(), "line " + line + " has "
          + row.length + " fields, the header " + schema.size());
    }
    for (int c = 0; c < row.length; c++) {
      Field f = schema.field(c);
      try {
        w.setObject(c, parse(f.type(), row[c]));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new LazyQFormatException(source, parser.getContext().currentChar(), "line " + line + ", column '"
            + f.name() + "': '" + row[c] + "' is not a " + f.type());
      }
    }
    w.endRow();
  }

  /** A CSV cell as the value {@link LzqWriter#setObject} takes; an unquoted empty cell is null. */
  static Object parse(ColumnType type, String text) throws IOException {
    if (text == null) {
      return null;
    }
    if (type.isList()) {
      JsonNode node = RowFormat.JSON.readTree(text);
      if (!node.isArray()) {
        throw new IllegalArgumentException("not a JSON array");
      }
      return list(type.element(), node);
    }
    String t = text.trim();
    switch (type.kind()) {
      case INT32: return Integer.parseInt(t);
      case INT64: return Long.parseLong(t);
      case FLOAT32: return Float.parseFloat(t);
      case FLOAT64: return Double.parseDouble(t);
      case BOOL: return parseBool(t);
      case UTF8: return text;
      case TIMESTAMP_MICROS: return timestampMicros(t);
      default: throw new IllegalStateException(type.toString());
    }
  }

  private static Object list(ColumnType.Kind element, JsonNode node) {
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
    return n.isTextual() ? Double.parseDouble(n.textValue()) : n.doubleValue();
  }

  private static boolean parseBool(String t) {
    switch (t.toLowerCase(Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default: throw new IllegalArgumentException("not a bool");
    }
  }

  static long timestampMicros(String t) {
    Instant i;
    try {
      i = Instant.parse(t);
    } catch (DateTimeParseException e) {
      i = LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }

  /** The narrowest type that holds every sampled value: int64, float64 (float32 where quantized), bool, timestamp or utf8. */
  static Schema infer(String[] header, List<String[]> sample, EncodingSpec encodings) {
    List<Field> fields = new ArrayList<>();
    for (int c = 0; c < header.length; c++) {
      String name = header[c] == null ? "c" + c : header[c].trim();
      ColumnType type = inferColumn(sample, c);
      if (type == ColumnType.FLOAT64 || type == ColumnType.INT64) {
        if (encodings.names(name)) {
          type = ColumnType.FLOAT32;
        }
      }
      fields.add(Field.of(name, type));
    }
    return new Schema(fields, java.util.Map.of());
  }

  private static ColumnType inferColumn(List<String[]> sample, int c) {
    ColumnType[] candidates = {ColumnType.INT64, ColumnType.FLOAT64, ColumnType.BOOL, ColumnType.TIMESTAMP};
    boolean[] ok = {true, true, true, true};
    boolean any = false;
    for (String[] row : sample) {
      String v = c < row.length ? row[c] : null;
      if (v == null) {
        continue;
      }
      any = true;
      for (int k = 0; k < candidates.length; k++) {
        if (ok[k]) {
          try {
            parse(candidates[k], v);
          } catch (Exception e) {
            ok[k] = false;
          }
        }
      }
    }
    if (!any) {
      return ColumnType.UTF8;
    }
    for (int k = 0; k < candidates.length; k++) {
      if (ok[k]) {
        return candidates[k];
      }
    }
    return ColumnType.UTF8;
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
