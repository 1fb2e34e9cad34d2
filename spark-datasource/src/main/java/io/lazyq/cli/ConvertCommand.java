package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.WriterOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lazyq convert}: a streaming CSV import with bounded memory; other inputs (or CSV with
 * {@code --spark}) go through Spark on local[*] ({@link SparkConvert}).
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Convert a CSV file (with a header row) into a .lzq file, streaming, one chunk in memory.",
        "Parquet, JSON and ORC inputs, or CSV with --spark, are converted by Spark on local[*] into a directory"
            + " of .lzq part files."})
public final class ConvertCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN", description = "A file; for Spark inputs also a directory or a glob.")
  String input;

  @Parameters(index = "1", paramLabel = "OUT", description = "A .lzq file, or a directory for Spark inputs.")
  Path output;

  @Option(names = "--input-format", paramLabel = "csv|parquet|json|orc",
      description = "The input's format (default: from its extension, else csv).")
  String inputFormat;

  @Option(names = "--spark", description = "Convert through Spark even a CSV input.")
  boolean spark;

  @Option(names = "--schema", paramLabel = "name:type,...",
      description = "Column types (int32, int64, float32, float64, bool, utf8, timestamp, list<T>). Default: inferred"
          + " in a first pass over the file: bool, int64, float64, timestamp (ISO-8601; without an offset, UTC) or"
          + " utf8, widening int64 to float64 to utf8 as later values need.")
  String schema;

  @Option(names = "--infer-rows", paramLabel = "N",
      description = "Infer the schema from the first N rows only (default: all); a later value that does not fit fails.")
  Long inferRows;

  @Option(names = "--timestamp", paramLabel = "COL[=UNIT]", split = ",",
      description = "Import an integer column of epoch times as a timestamp; UNIT is s, ms, us (the default) or ns.")
  List<String> timestamps = List.of();

  @Option(names = "--null-values", paramLabel = "TOKEN", split = ",",
      description = "Cells that are null, beside empty ones (e.g. NA,?,-9999).")
  List<String> nullValues = List.of();

  @Option(names = "--float32", description = "Import inferred float64 columns as float32.")
  boolean float32;

  @picocli.CommandLine.Mixin EncodingOptions encoding;

  @Spec CommandSpec spec;

  private static final List<String> FORMATS = List.of("csv", "parquet", "json", "orc");

  @Override
  public Integer call() throws Exception {
    String format = format();
    if (spark || !format.equals("csv")) {
      return convertWithEngine(format);
    }
    Path input = Path.of(this.input);
    EncodingSpec encodings = encoding.spec();
    WriterOptions options = encoding.writerOptions();
    CsvOptions csvOptions = csvOptions();
    long rows;
    try (Progress progress = Progress.start("convert", Files.size(input) * csvOptions.passes(), "chars")) {
      rows = CsvImport.run(input, output, csvOptions, encodings, options, progress::stepTo);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("wrote %,d rows to %s (%,d bytes)%n", rows, output, Files.size(output));
    out.flush();
    return LazyQ.OK;
  }

  private CsvOptions csvOptions() {
    Map<String, EpochUnit> epochColumns = new LinkedHashMap<>();
    for (String spec : timestamps) {
      int eq = spec.indexOf('=');
      String column = (eq < 0 ? spec : spec.substring(0, eq)).trim();
      epochColumns.put(column, eq < 0 ? EpochUnit.US : EpochUnit.parse(spec.substring(eq + 1)));
    }
    return new CsvOptions(schema == null ? null : CsvImport.parseSchema(schema),
        inferRows == null ? Long.MAX_VALUE : inferRows, epochColumns, new CsvSpelling(nullValues), float32);
  }

  private Integer convertWithEngine(String format) throws Exception {
    encoding.spec(); // options fail here, before an engine starts
    if (inferRows != null || !timestamps.isEmpty() || !nullValues.isEmpty() || float32) {
      throw new IllegalArgumentException("--infer-rows, --timestamp, --null-values and --float32 apply to the"
          + " streaming CSV import only, not to a conversion by Spark");
    }
    long rows = SparkConvert.convert(input, format, output, encoding.writeOptions(), spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    out.printf("wrote %,d rows to %s%n", rows, output);
    out.flush();
    return LazyQ.OK;
  }

  private String format() {
    String f = inputFormat;
    if (f == null) {
      String name = input.toLowerCase(Locale.ROOT);
      f = name.endsWith(".parquet") ? "parquet" : name.endsWith(".json") || name.endsWith(".jsonl") ? "json"
          : name.endsWith(".orc") ? "orc" : "csv";
    }
    f = f.toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(f)) {
      throw new IllegalArgumentException("--input-format must be one of " + FORMATS + ", not '" + inputFormat + "'");
    }
    return f;
  }
}
