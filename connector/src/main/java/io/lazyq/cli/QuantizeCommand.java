package io.lazyq.cli;

import io.lazyq.quant.QuantType;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorQuantizer;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lazyq quantize IN OUT --type T [--plan]}: a GGUF or Safetensors file to a GGUF of type T. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = "Quantize the float tensors (F32, F16, BF16, 2-D and up) of a GGUF or Safetensors"
        + " file into a GGUF file, one chunk of rows at a time. Other tensors are copied as they"
        + " are, and listed.")
public final class QuantizeCommand implements Subcommand {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "a GGUF or Safetensors file")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "the GGUF file to write")
  Path out;

  @Option(names = "--type", required = true, paramLabel = "T",
      description = "q8_0, q4_0, q4_1, q5_0, q5_1, f16 or bf16")
  String type;

  @Option(names = "--plan", description = "print the output size and peak memory estimate, from"
      + " the index alone, and write nothing")
  boolean planOnly;

  @Override
  public Integer call() throws IOException {
    QuantType target = QuantType.byLabel(type).filter(TensorQuantizer.TARGETS::contains)
        .orElseThrow(() -> new ParameterException(spec.commandLine(), "--type " + type
            + " is not one of q8_0, q4_0, q4_1, q5_0, q5_1, f16, bf16"));
    try (TensorFile f = TensorFile.open(in)) {
      TensorQuantizer.Plan plan = planOnly ? TensorQuantizer.plan(f, target)
          : TensorQuantizer.quantize(f, out, target);
      for (TensorQuantizer.Step s : plan.kept()) {
        System.out.printf("kept %s (%s): %s%n", s.source().name(), s.source().type(),
            s.keptReason());
      }
      System.out.printf("%d of %d tensors quantized to %s%n",
          plan.steps().size() - plan.kept().size(), plan.steps().size(), target.label());
      System.out.printf("output: %d bytes%s%n", plan.outputBytes(), planOnly ? " (planned)"
          : " -> " + out);
      System.out.printf("peak memory estimate: %d bytes%n", plan.peakMemoryBytes());
    }
    return 0;
  }
}
