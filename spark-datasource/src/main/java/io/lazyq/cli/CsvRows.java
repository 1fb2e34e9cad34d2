package io.lazyq.cli;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.lazyq.LazyQFormatException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rows of a CSV file with a header row, one at a time. A cell is null where it was unquoted
 * and empty, and the empty string where it was quoted and empty. Every row has the header's width.
 */
final class CsvRows implements AutoCloseable {
  private final String source;
  private final Reader reader;
  private final CsvParser parser;
  private final List<String> header;

  private CsvRows(Path csv) throws IOException {
    this.source = csv.toString();
    CsvParserSettings settings = new CsvParserSettings();
    settings.setNullValue(null);
    settings.setEmptyValue("");
    settings.setHeaderExtractionEnabled(false);
    settings.setMaxCharsPerColumn(-1);
    settings.setLineSeparatorDetectionEnabled(true);
    this.parser = new CsvParser(settings);
    this.reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
    try {
      parser.beginParsing(reader);
      String[] names = parse();
      if (names == null) {
        throw new LazyQFormatException(source, LazyQFormatException.NO_OFFSET, "empty CSV: no header row");
      }
      // A header cell is a name, never null: an unquoted empty one is a column without a name.
      for (int i = 0; i < names.length; i++) {
        names[i] = names[i] == null ? "" : names[i].trim();
      }
      this.header = List.of(names);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Opens a CSV file and reads its header row. */
  static CsvRows open(Path csv) throws IOException {
    return new CsvRows(csv);
  }

  /** The column names, trimmed. */
  List<String> header() {
    return header;
  }

  /** The next row, or null at the end of the file. */
  String[] next() throws LazyQFormatException {
    String[] row = parse();
    if (row != null && row.length != header.size()) {
      throw error("the row has " + row.length + " fields, the header " + header.size());
    }
    return row;
  }

  /** The number of the line on which the last row read ends, from 1 for the header. */
  long line() {
    return parser.getContext().currentLine();
  }

  /** The characters read so far. */
  long chars() {
    return parser.getContext().currentChar();
  }

  /** A problem with the last row read, placed in the file by its line. */
  LazyQFormatException error(String problem) {
    return new LazyQFormatException(source, LazyQFormatException.NO_OFFSET, "line " + line() + ": " + problem);
  }

  /** A cell of the last row read that is not what its column needs: {@code problem} follows the quoted cell. */
  LazyQFormatException badCell(String column, String cell, String problem) {
    return new LazyQFormatException(source, LazyQFormatException.NO_OFFSET,
        "line " + line() + ", column '" + column + "': '" + cell + "' " + problem);
  }

  private String[] parse() throws LazyQFormatException {
    try {
      return parser.parseNext();
    } catch (TextParsingException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new LazyQFormatException(source, LazyQFormatException.NO_OFFSET,
          "line " + (e.getLineIndex() + 1) + ": " + message, e);
    }
  }

  @Override
  public void close() throws IOException {
    parser.stopParsing();
    reader.close();
  }
}
