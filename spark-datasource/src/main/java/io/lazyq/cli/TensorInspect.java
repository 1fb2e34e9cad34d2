package io.lazyq.cli;

import io.lazyq.tensor.TensorFile;
import io.lazyq.tensorfiles.TensorFiles;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code inspect} for tensor files (GGUF, Safetensors), which the tensor reader tells apart. */
final class TensorInspect {
  private TensorInspect() {}

  static int print(Path path, PrintWriter out, boolean json) throws Exception {
    try (TensorFile file = TensorFiles.open(path)) {
      TensorFileSummary summary = new TensorFileSummary(file);
      out.println(json ? summary.toJson() : summary.toText());
    }
    out.flush();
    return LazyQ.OK;
  }
}
