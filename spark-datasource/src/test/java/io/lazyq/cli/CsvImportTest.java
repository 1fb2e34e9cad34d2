package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import io.lazyq.format.TableReads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lazyq convert} of CSV: the shared real sensor files read back value for value against a
 * parse of their own, a bad value late in a file, and the edge cases of type inference.
 */
class CsvImportTest {
  @TempDir Path dir;

  // ---- real data ----

  /** A real CSV file, the arguments to convert it with, and the types its columns must come out as. */
  record RealFile(String name, List<String> args, Map<String, ColumnType> types) {
    @Override
    public String toString() {
      return args.isEmpty() ? name : name + " " + String.join(" ", args);
    }
  }

  /** The real files, and PM2.5/weather again with {@code --lossless smallest}, which derives two of its columns. */
  static Stream<RealFile> float32Files() {
    RealFile china = realFiles().findFirst().orElseThrow();
    return Stream.concat(realFiles(),
        Stream.of(new RealFile(china.name(), List.of("--lossless", "smallest"), china.types())));
  }

  static Stream<RealFile> realFiles() {
    ColumnType ts = ColumnType.TIMESTAMP;
    ColumnType text = ColumnType.UTF8;
    ColumnType i64 = ColumnType.INT64;
    ColumnType f64 = ColumnType.FLOAT64;
    return Stream.of(
        new RealFile("china_5city_pm25_weather.csv.xz", List.of(), ordered(
            "ts", ts, "sensor", text, "PM25_US_Post", i64, "DEWP", f64, "HUMI", f64, "PRES", f64, "TEMP", f64,
            "Iws", f64, "precipitation", f64, "Iprec", f64)),
        new RealFile("ims_bearing_vibration.csv.xz", List.of(), ordered(
            "ts", i64, "sensor", text, "bearing1_g", f64, "bearing2_g", f64, "bearing3_g", f64, "bearing4_g", f64)),
        new RealFile("mitbih_ecg_record100.csv.xz", List.of("--timestamp", "ts=us"), ordered(
            "ts", ts, "MLII_mV", f64, "V5_mV", f64)),
        new RealFile("nab_real_sensors.csv.xz", List.of(), ordered("ts", ts, "sensor", text, "value", f64)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("realFiles")
  void realFilesReadBackAsParsedWithoutASchema(RealFile real) throws Exception {
    Path csv = decompress(realData().resolve(real.name()));
    Path out = dir.resolve("out.lzq");
    List<String> args = new ArrayList<>(List.of("convert", csv.toString(), out.toString()));
    args.addAll(real.args());
    long start = System.nanoTime();
    CliTest.Run convert = CliTest.run(args.toArray(String[]::new));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(LazyQ.OK, convert.exit(), convert.err());

    try (LzqFile file = LzqFile.open(out)) {
      assertEquals(List.copyOf(real.types().keySet()), file.schema().fields().stream().map(Field::name).toList());
      assertEquals(List.copyOf(real.types().values()), file.schema().fields().stream().map(Field::type).toList());
    }
    List<Function<String, Object>> parsers = real.types().values().stream().map(t -> parserOf(t, real)).toList();
    long[] counts = compare(csv, out, parsers);
    System.out.printf("convert %s: %,d rows, %,d nulls, in %,d ms%n", real.name(), counts[0], counts[1], millis);
  }

  /**
   * With {@code --float32}, as the benchmark stores them: every float column is block-encoded by
   * default (derived from others where it follows from them, with {@code --lossless smallest}) and
   * reads back bit for bit as {@link Float#parseFloat} parses the CSV, through the file reader and
   * the sequential one.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("float32Files")
  void realFilesAsFloat32AreBlockEncodedAndBitExact(RealFile real) throws Exception {
    Path csv = decompress(realData().resolve(real.name()));
    Path out = dir.resolve("out32.lzq");
    List<String> args = new ArrayList<>(List.of("convert", csv.toString(), out.toString(), "--float32"));
    args.addAll(real.args());
    CliTest.Run convert = CliTest.run(args.toArray(String[]::new));
    assertEquals(LazyQ.OK, convert.exit(), convert.err());
    List<Function<String, Object>> parsers = new ArrayList<>();
    try (LzqFile file = LzqFile.open(out)) {
      for (int c = 0; c < file.schema().size(); c++) {
        ColumnType type = file.schema().field(c).type();
        ColumnType expected = real.types().get(file.schema().field(c).name());
        if (expected.equals(ColumnType.FLOAT64)) {
          assertEquals(ColumnType.FLOAT32, type);
          for (int k = 0; k < file.index().size(); k++) {
            io.lazyq.format.ColumnEncoding.Lossless stage = file.index().chunk(k).column(c).compression();
            String name = file.schema().field(c).name();
            // PM2.5/weather's humidity follows from city, dew point and temperature, and its
            // cumulated precipitation is the running sum of the hourly one.
            boolean derivable = real.args().contains("smallest") && (name.equals("HUMI") || name.equals("Iprec"));
            assertEquals(derivable ? io.lazyq.format.ColumnEncoding.Lossless.DERIVED
                : io.lazyq.format.ColumnEncoding.Lossless.BLOCKS, stage, name);
          }
          parsers.add(Float::parseFloat);
        } else {
          parsers.add(parserOf(expected, real));
        }
      }
    }
    long[] counts = compare(csv, out, parsers);
    // Float.equals compares canonical bits; the raw bits are checked as well, column by column.
    try (LzqFile file = LzqFile.open(out); BufferedReader lines = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      lines.readLine();
      for (int k = 0; k < file.index().size(); k++) {
        int n = file.index().chunk(k).rows();
        String[][] cells = new String[n][];
        for (int r = 0; r < n; r++) {
          cells[r] = lines.readLine().split(",", -1);
        }
        for (int c = 0; c < file.schema().size(); c++) {
          if (!file.schema().field(c).type().equals(ColumnType.FLOAT32)) {
            continue;
          }
          try (ColumnView v = file.column(k, c)) {
            float[] got = new float[n];
            v.readFloats(0, n, got, 0);
            for (int r = 0; r < n; r++) {
              if (!cells[r][c].isEmpty() && Float.floatToRawIntBits(Float.parseFloat(cells[r][c])) != Float.floatToRawIntBits(got[r])) {
                throw new AssertionError("chunk " + k + " row " + r + " column " + c + ": " + cells[r][c] + " read as " + got[r]);
              }
            }
          }
        }
      }
    }
    System.out.printf("convert --float32 %s: %,d rows bit-exact, %,d bytes%n", real.name(), counts[0], Files.size(out));
  }

  /**
   * Reads the CSV by splitting lines on commas (which these files allow: they have no quotes) and
   * the {@code .lzq} file chunk by chunk beside it, and compares value by value. Returns rows and nulls.
   */
  private static long[] compare(Path csv, Path lzq, List<Function<String, Object>> parsers) throws Exception {
    long rows = 0;
    long nulls = 0;
    try (BufferedReader lines = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        InputStream in = Files.newInputStream(lzq);
        LzqStream stream = LzqStream.open(in, lzq.toString(), StreamOptions.DEFAULTS)) {
      lines.readLine();
      while (stream.next()) {
        int n = stream.chunk().rows();
        ColumnView[] views = new ColumnView[parsers.size()];
        for (int c = 0; c < views.length; c++) {
          views[c] = stream.column(c);
        }
        for (int r = 0; r < n; r++) {
          String line = lines.readLine();
          assertNotNull(line, "the CSV ended before row " + rows);
          assertFalse(line.contains("\""), "a quote on line " + (rows + 2) + ": splitting on commas would be wrong");
          String[] cells = line.split(",", -1);
          assertEquals(parsers.size(), cells.length, "fields on line " + (rows + 2));
          for (int c = 0; c < cells.length; c++) {
            Object expected = cells[c].isEmpty() ? null : parsers.get(c).apply(cells[c]);
            Object actual = views[c].getObject(r);
            if (!Objects.equals(expected, actual)) {
              throw new AssertionError("line " + (rows + 2) + " column " + c + " '" + cells[c] + "': expected "
                  + expected + " but read " + actual);
            }
            nulls += expected == null ? 1 : 0;
          }
          rows++;
        }
      }
      assertEquals(null, lines.readLine(), "the CSV has rows past the file's " + rows);
    }
    return new long[] {rows, nulls};
  }

  /** An independent parse of one cell, by the type the test expects (not the one the import chose). */
  private static Function<String, Object> parserOf(ColumnType type, RealFile real) {
    if (type.equals(ColumnType.TIMESTAMP)) {
      return real.args().contains("--timestamp") ? Long::parseLong : CsvImportTest::isoMicros;
    }
    if (type.equals(ColumnType.INT64)) {
      return Long::parseLong;
    }
    if (type.equals(ColumnType.FLOAT64)) {
      return Double::parseDouble;
    }
    return s -> s;
  }

  private static long isoMicros(String s) {
    boolean offset = s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$");
    Instant i = offset ? OffsetDateTime.parse(s).toInstant() : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }

  /** {@code <project root>/../shared/realdata}, as in a clean clone with shared/ beside it. */
  private static Path realData() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("spark-datasource"))) {
        Path data = p.resolveSibling("shared").resolve("realdata");
        assertTrue(Files.isDirectory(data), "no real data at " + data);
        return data;
      }
    }
    throw new AssertionError("no project root above " + Path.of("").toAbsolutePath());
  }

  private Path decompress(Path xz) throws Exception {
    Path csv = dir.resolve(xz.getFileName().toString().replaceFirst("\\.xz$", ""));
    Process p = new ProcessBuilder("xz", "-dc", xz.toString())
        .redirectOutput(csv.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    assertEquals(0, p.waitFor(), "xz -dc " + xz);
    return csv;
  }

  private static Map<String, ColumnType> ordered(Object... nameTypePairs) {
    Map<String, ColumnType> m = new LinkedHashMap<>();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      m.put((String) nameTypePairs[i], (ColumnType) nameTypePairs[i + 1]);
    }
    return m;
  }

  // ---- a bad value late in a file ----

  /** 20,000 rows whose {@code reading} is an integer but on row 17,000 (line 17,001). */
  private Path lateBadValue() throws IOException {
    StringBuilder csv = new StringBuilder("ts,sensor,reading\n");
    for (int i = 1; i <= 20_000; i++) {
      csv.append(Instant.ofEpochSecond(1_700_000_000L + i)).append(",s-").append(i % 5).append(',')
          .append(i == 17_000 ? "1019.5" : Integer.toString(1000 + i % 40)).append('\n');
    }
    Path in = dir.resolve("late.csv");
    Files.writeString(in, csv, StandardCharsets.UTF_8);
    return in;
  }

  @Test
  void aValueThatDoesNotFitFailsNamingLineColumnAndValueAndLeavesNoFile() throws Exception {
    Path in = lateBadValue();
    Path out = dir.resolve("late.lzq");
    CliTest.Run limited = CliTest.run("convert", in.toString(), out.toString(), "--infer-rows", "1000",
        "--chunk-rows", "4096");
    assertEquals(LazyQ.BAD_INPUT, limited.exit(), limited.err());
    assertEquals(1, limited.err().lines().count(), limited.err());
    for (String part : List.of(in.toString(), "line 17001", "column 'reading'", "'1019.5'", "int64", "--infer-rows")) {
      assertTrue(limited.err().contains(part), "'" + part + "' in: " + limited.err());
    }
    assertEquals(List.of(in), listDir(), "what is left in the directory");

    CliTest.Run schema = CliTest.run("convert", in.toString(), out.toString(),
        "--schema", "ts:timestamp,sensor:utf8,reading:int32", "--chunk-rows", "4096");
    assertEquals(LazyQ.BAD_INPUT, schema.exit(), schema.err());
    assertTrue(schema.err().contains("line 17001, column 'reading': '1019.5' is not an int32"), schema.err());
    assertEquals(List.of(in), listDir(), "what is left in the directory");
  }

  @Test
  void aFailedImportKeepsTheFileThatWasAtTheOutputPath() throws Exception {
    Path in = lateBadValue();
    Path out = dir.resolve("late.lzq");
    CliTest.Run whole = CliTest.run("convert", in.toString(), out.toString());
    assertEquals(LazyQ.OK, whole.exit(), whole.err());
    try (LzqFile file = LzqFile.open(out)) {
      assertEquals(ColumnType.FLOAT64, file.schema().field(2).type(), "inferred over the whole file");
      assertEquals(20_000, file.rowCount());
    }
    byte[] earlier = Files.readAllBytes(out);

    CliTest.Run failed = CliTest.run("convert", in.toString(), out.toString(), "--infer-rows", "16999",
        "--chunk-rows", "4096");
    assertEquals(LazyQ.BAD_INPUT, failed.exit(), failed.err());
    assertArrayEquals(earlier, Files.readAllBytes(out), "the earlier file at the output path");
    assertEquals(List.of(in, out), listDir(), "what is left in the directory");
  }

  private List<Path> listDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  // ---- inference ----

  /** One column {@code x} of cells (null for an unquoted empty cell), the flags, and what it must read back as. */
  static Stream<Arguments> inferenceCases() {
    ColumnType i64 = ColumnType.INT64;
    ColumnType f64 = ColumnType.FLOAT64;
    ColumnType text = ColumnType.UTF8;
    ColumnType ts = ColumnType.TIMESTAMP;
    long newYear2024 = 1_704_067_200_000_000L;
    return Stream.of(
        Arguments.of("ints", cells("1", "-2", "+3"), List.of(), i64, values(1L, -2L, 3L)),
        Arguments.of("int then float", cells("1", "2", "2.5"), List.of(), f64, values(1.0, 2.0, 2.5)),
        Arguments.of("float then int", cells("2.5", "1e3", "7"), List.of(), f64, values(2.5, 1000.0, 7.0)),
        Arguments.of("int then text", cells("1", "2", "abc"), List.of(), text, values("1", "2", "abc")),
        Arguments.of("float then text", cells("1.5", "x"), List.of(), text, values("1.5", "x")),
        Arguments.of("int past a long", cells("1", "9223372036854775808"), List.of(), f64,
            values(1.0, 9.223372036854775808e18)),
        Arguments.of("NaN and Inf", cells("1.5", "NaN", "-Inf"), List.of(), f64,
            values(1.5, Double.NaN, Double.NEGATIVE_INFINITY)),
        Arguments.of("Java's other float spellings", cells("1.5", "2d"), List.of(), text, values("1.5", "2d")),
        Arguments.of("bool", cells("true", "FALSE"), List.of(), ColumnType.BOOL, values(true, false)),
        Arguments.of("bool then int", cells("true", "1"), List.of(), text, values("true", "1")),
        Arguments.of("ISO with Z", cells("2024-01-01T00:00:00Z", "2024-01-01T00:00:00.25Z"), List.of(), ts,
            values(newYear2024, newYear2024 + 250_000)),
        Arguments.of("ISO with +08:00", cells("2024-01-01T08:00:00+08:00", "2023-12-31T19:00-05:00"), List.of(), ts,
            values(newYear2024, newYear2024)),
        Arguments.of("ISO without offset is UTC", cells("2024-01-01T00:00:00", "2024-01-01 00:00:01.5"), List.of(), ts,
            values(newYear2024, newYear2024 + 1_500_000)),
        Arguments.of("no such date", cells("2024-01-01T00:00", "2024-02-30T00:00"), List.of(), text,
            values("2024-01-01T00:00", "2024-02-30T00:00")),
        Arguments.of("timestamp then int", cells("2024-01-01T00:00:00Z", "5"), List.of(), text,
            values("2024-01-01T00:00:00Z", "5")),
        Arguments.of("empty is null", cells("1", null, "3"), List.of(), i64, values(1L, null, 3L)),
        Arguments.of("no value at all", cells(null, null), List.of(), text, values(null, null)),
        Arguments.of("NA is text by default", cells("1", "NA"), List.of(), text, values("1", "NA")),
        Arguments.of("null tokens", cells("1", "NA", "?", "-9999", null, "4"), List.of("--null-values", "NA,?,-9999"),
            i64, values(1L, null, null, null, null, 4L)),
        Arguments.of("null tokens in text", cells("a", "NA"), List.of("--null-values", "NA"), text, values("a", null)),
        Arguments.of("--float32", cells("1.5", "2", "0.1"), List.of("--float32"), ColumnType.FLOAT32,
            values(1.5f, 2f, 0.1f)),
        Arguments.of("--float32 keeps ints", cells("1", "2"), List.of("--float32"), i64, values(1L, 2L)),
        Arguments.of("--timestamp x", cells("1500", "-1"), List.of("--timestamp", "x"), ts, values(1500L, -1L)),
        Arguments.of("--timestamp x=s", cells("2", null), List.of("--timestamp", "x=s"), ts, values(2_000_000L, null)),
        Arguments.of("--timestamp x=ms", cells("2"), List.of("--timestamp", "x=ms"), ts, values(2_000L)),
        Arguments.of("--timestamp x=ns", cells("2999", "-1"), List.of("--timestamp", "x=ns"), ts, values(2L, -1L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inferenceCases")
  void inference(String name, List<String> cells, List<String> flags, ColumnType type, List<Object> values)
      throws Exception {
    // A first column keeps a row whose x is empty from being a blank line, which CSV skips.
    StringBuilder csv = new StringBuilder("i,x\n");
    for (int i = 0; i < cells.size(); i++) {
      csv.append(i).append(',').append(cells.get(i) == null ? "" : cells.get(i)).append('\n');
    }
    Path in = dir.resolve("in.csv");
    Files.writeString(in, csv, StandardCharsets.UTF_8);
    Path out = dir.resolve("out.lzq");
    List<String> args = new ArrayList<>(List.of("convert", in.toString(), out.toString()));
    args.addAll(flags);
    CliTest.Run run = CliTest.run(args.toArray(String[]::new));
    assertEquals(LazyQ.OK, run.exit(), run.err());
    try (LzqFile file = LzqFile.open(out)) {
      assertEquals(type, file.schema().field(1).type());
    }
    List<Object> read = TableReads.readMapped(out).stream().map(row -> row[1]).toList();
    assertEquals(values, read);
  }

  @Test
  void anEpochColumnThatIsNotAnIntegerFails() throws Exception {
    Path in = dir.resolve("in.csv");
    Files.writeString(in, "ts,v\n1,2\n2024-01-01T00:00:00Z,3\n", StandardCharsets.UTF_8);
    CliTest.Run run = CliTest.run("convert", in.toString(), dir.resolve("out.lzq").toString(), "--timestamp", "ts=ms");
    assertEquals(LazyQ.BAD_INPUT, run.exit(), run.err());
    assertTrue(run.err().contains("line 3, column 'ts': '2024-01-01T00:00:00Z' is not an integer epoch time in ms"),
        run.err());
    assertEquals(LazyQ.USAGE, CliTest.run("convert", in.toString(), dir.resolve("o.lzq").toString(),
        "--timestamp", "nope").exit());
    assertEquals(LazyQ.USAGE, CliTest.run("convert", in.toString(), dir.resolve("o.lzq").toString(),
        "--timestamp", "ts=days").exit());
  }

  private static List<String> cells(String... cells) {
    return Arrays.asList(cells);
  }

  private static List<Object> values(Object... values) {
    return Arrays.asList(values);
  }
}
