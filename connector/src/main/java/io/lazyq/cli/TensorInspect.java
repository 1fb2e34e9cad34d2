package io.lazyq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code inspect} for tensor files (GGUF, Safetensors). */
final class TensorInspect {
  private TensorInspect() {}

  static int print(Path file, PrintWriter out, boolean json) throws Exception {
    throw InspectCommand.notTensor(file);
  }
}
