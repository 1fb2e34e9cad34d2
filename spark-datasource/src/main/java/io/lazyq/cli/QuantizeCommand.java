package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.LzqRewrite;
import io.lazyq.quant.QuantType;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensorfiles.TensorFiles;
import io.lazyq.tensorfiles.TensorQuantizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lazyq quantize IN OUT --type T [--plan]}: a GGUF or Safetensors file to a GGUF of type T. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = "Quantize the float tensors (F32, F16, BF16, 2-D and up) of a GGUF or Safetensors"
        + " file into a GGUF file, one chunk of rows at a time. Other tensors are copied as they"
        + " are, and listed.")
public final class QuantizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "a GGUF or Safetensors file")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "the GGUF file to write")
  Path out;

  @Option(names = "--type", paramLabel = "T",
      description = "q8_0, q4_0, q4_1, q5_0, q5_1, f16 or bf16; for .lzq files also affine8 and affine4,"
          + " applied to every float column")
  String type;

  @Option(names = "--error-bound", paramLabel = "[col=]E,...",
      description = ".lzq files only: error-bounded float columns, each value within E of its input")
  String errorBound;

  @Option(names = "--plan", description = "print the output size and peak memory estimate, from"
      + " the index alone, and write nothing")
  boolean planOnly;

  @Override
  public Integer call() throws IOException {
    if (InputKind.of(in) == InputKind.LZQ) {
      return quantizeLzq();
    }
    if (type == null) {
      throw new ParameterException(spec.commandLine(), "--type is required for GGUF and Safetensors inputs");
    }
    QuantType target = QuantType.byLabel(type).filter(TensorQuantizer.TARGETS::contains)
        .orElseThrow(() -> new ParameterException(spec.commandLine(), "--type " + type
            + " is not one of q8_0, q4_0, q4_1, q5_0, q5_1, f16, bf16"));
    try (TensorFile f = TensorFiles.open(in)) {
      TensorQuantizer.Plan plan = planOnly ? TensorQuantizer.plan(f, target)
          : TensorQuantizer.quantize(f, out, target);
      for (TensorQuantizer.Step s : plan.kept()) {
        spec.commandLine().getOut().printf("kept %s (%s): %s%n", s.source().name(), s.source().type(),
            s.keptReason());
      }
      spec.commandLine().getOut().printf("%d of %d tensors quantized to %s%n",
          plan.steps().size() - plan.kept().size(), plan.steps().size(), target.label());
      spec.commandLine().getOut().printf("output: %d bytes%s%n", plan.outputBytes(), planOnly ? " (planned)"
          : " -> " + out);
      spec.commandLine().getOut().printf("peak memory estimate: %d bytes%n", plan.peakMemoryBytes());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** A {@code .lzq} file: its float columns re-encoded, chunk by chunk. */
  private int quantizeLzq() throws IOException {
    if (type == null && errorBound == null) {
      throw new ParameterException(spec.commandLine(), "give --type T or --error-bound E");
    }
    EncodingSpec encodings = EncodingSpec.parse(type, errorBound);
    java.io.PrintWriter o = spec.commandLine().getOut();
    if (planOnly) {
      LzqRewrite.Plan plan;
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(in)) {
        plan = LzqRewrite.plan(io.lazyq.format.FileMetadata.read(ch, in.toString()), encodings);
      }
      o.printf("%,d rows in %,d chunks%n", plan.rows(), plan.chunks());
      o.printf("output: at most %,d bytes (planned)%n", plan.outputBytes());
      o.printf("peak memory estimate: %,d bytes%n", plan.peakMemoryBytes());
    } else {
      LzqRewrite.Result r;
      try (Progress progress = Progress.start("quantize", 0, "rows");
          java.io.InputStream input = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(in), 1 << 20)) {
        r = LzqRewrite.rewrite(input, in.toString(), out, encodings, progress::stepTo);
      }
      o.printf("wrote %,d rows in %,d chunks to %s (%,d bytes)%n", r.rows(), r.chunks(), out, r.bytesWritten());
    }
    o.flush();
    return LazyQ.OK;
  }
}
