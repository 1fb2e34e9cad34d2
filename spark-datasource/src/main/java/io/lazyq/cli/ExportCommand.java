package io.lazyq.cli;

import io.lazyq.arrow.ArrowExport;
import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.arrow.ArrowReadOptions;
import io.lazyq.arrow.LzqArrowReader;
import io.lazyq.arrow.TensorArrowReader;
import io.lazyq.format.LzqFile;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensorfiles.TensorFiles;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code lazyq export}: a {@code .lzq} file as an Arrow IPC file or stream, or a GGUF or
 * Safetensors file as rows of dequantized tensor values.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a .lzq, .gguf or .safetensors file as Arrow IPC: a file (.arrow) by default, or a stream"
        + " (--stream). Tensor files export one row per tensor row: tensor, row, values (dequantized).")
public final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE")
  Path input;

  @Parameters(index = "1", paramLabel = "OUT", description = "The Arrow file to write, or - for standard output.")
  String output;

  @Option(names = "--stream", description = "Write the Arrow IPC stream format instead of the file format.")
  boolean stream;

  @Option(names = "--columns", split = ",", paramLabel = "a,b", description = "Columns to export (default: all).")
  List<String> columns;

  @ArgGroup(exclusive = true)
  View view;

  /** How quantized columns are exported. */
  static final class View {
    @Option(names = "--dequantize", description = "Quantized columns as float32 (the default).")
    boolean dequantize;

    @Option(names = "--raw", description = "Quantized columns as their stored blocks. Where every exported column is"
        + " quantized, a row is a block (extension type lazyq.quantized); beside plain columns, rows stay table rows"
        + " and a quantized column is binary, each row the blocks that start in it (as Spark's dequantize=false).")
    boolean raw;
  }

  @Option(names = "--batch-rows", paramLabel = "N", description = "Rows per batch, a multiple of 8 (default: ${DEFAULT-VALUE}).")
  int batchRows = ArrowReadOptions.DEFAULT_BATCH_ROWS;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ArrowReadOptions options = ArrowReadOptions.defaults().withBatchRows(batchRows)
        .withQuantizedView(view != null && view.raw ? QuantizedView.RAW : QuantizedView.DEQUANTIZED);
    if (columns != null) {
      options = options.withColumns(columns);
    }
    boolean toStdout = output.equals("-");
    boolean tensors = InputKind.of(input) != InputKind.LZQ;
    if (tensors && (columns != null || view != null && view.raw)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "a GGUF or Safetensors file exports as rows (tensor, row, values), dequantized: --columns and --raw do not apply");
    }
    ArrowExport.Result result;
    try (BufferAllocator allocator = new RootAllocator();
        ArrowReader reader = tensors
            ? TensorArrowReader.open(TensorFiles.open(input), TensorArrowReader.DEFAULT_BATCH_VALUES, allocator)
            : LzqArrowReader.open(LzqFile.open(input), options, allocator)) {
      if (toStdout) {
        // Standard output stays open for whatever runs after this command.
        OutputStream out = new BufferedOutputStream(System.out);
        result = ArrowExport.writeStream(reader, out);
        out.flush();
      } else if (stream) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(output)))) {
          result = ArrowExport.writeStream(reader, out);
        }
      } else {
        result = ArrowExport.writeFile(reader, Path.of(output));
      }
    }
    if (!toStdout) {
      PrintWriter out = spec.commandLine().getOut();
      out.printf("wrote %,d rows in %,d batches to %s (%,d bytes)%n", result.rows(), result.batches(), output,
          result.bytes());
      out.flush();
    }
    return LazyQ.OK;
  }
}
