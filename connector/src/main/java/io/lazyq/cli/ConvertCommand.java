package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.WriterOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lazyq convert}: a streaming CSV import with bounded memory. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert a CSV file (with a header row) into a .lzq file, streaming, one chunk in memory.")
public final class ConvertCommand implements Subcommand {
  @Parameters(index = "0", paramLabel = "IN.csv")
  Path input;

  @Parameters(index = "1", paramLabel = "OUT.lzq")
  Path output;

  @Option(names = "--schema", paramLabel = "name:type,...",
      description = "Column types (int32, int64, float32, float64, bool, utf8, timestamp, list<T>). Default: inferred from the first "
          + CsvImport.INFERENCE_ROWS + " rows.")
  String schema;

  @picocli.CommandLine.Mixin EncodingOptions encoding;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
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
}
