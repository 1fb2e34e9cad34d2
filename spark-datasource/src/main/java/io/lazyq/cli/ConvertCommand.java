package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.WriterOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
      description = "Column types (int32, int64, float32, float64, bool, utf8, timestamp, list<T>). Default: inferred from the first "
          + CsvImport.INFERENCE_ROWS + " rows.")
  String schema;

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
    long rows;
    try (Progress progress = Progress.start("convert", Files.size(input), "chars")) {
      rows = CsvImport.run(input, output, schema, encodings, options, progress::stepTo);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("wrote %,d rows to %s (%,d bytes)%n", rows, output, Files.size(output));
    out.flush();
    return LazyQ.OK;
  }

  private Integer convertWithEngine(String format) throws Exception {
    encoding.spec(); // options fail here, before an engine starts
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
