package io.lazyq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code inspect} for tensor files (GGUF, Safetensors), which the tensor reader tells apart. */
final class TensorInspect {
  private TensorInspect() {}

  static int print(Path file, PrintWriter out, boolean json) throws Exception {
    new TensorFileSummary(file).print(out, json);
    out.flush();
    return LazyQ.OK;
  }
}
