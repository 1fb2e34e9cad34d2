package io.lazyq.cli;

import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorView;
import io.lazyq.tensorfiles.TensorFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lazyq tensor FILE NAME --out OUT.f32}: one tensor, dequantized to raw float32. */
@Command(name = "tensor", mixinStandardHelpOptions = true,
    description = "Write one tensor of a GGUF or Safetensors file, dequantized, as little-endian"
        + " float32 in row-major order (what numpy.fromfile(OUT, dtype='<f4') reads).")
public final class TensorCommand implements Callable<Integer> {
  /** Rows are decoded about this many values at a time. */
  private static final int CHUNK_VALUES = 1 << 20;

  @Parameters(index = "0", paramLabel = "FILE", description = "a GGUF or Safetensors file")
  Path file;

  @Parameters(index = "1", paramLabel = "NAME", description = "the tensor's name")
  String name;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "output file")
  Path out;

  @Override
  public Integer call() throws IOException {
    try (TensorFile f = TensorFiles.open(file)) {
      TensorInfo t = f.require(name);
      TensorView view = f.view(t);
      writeFloats(view, out);
      System.out.printf("%s: %s %s, %d values -> %s%n", t.name(), t.type(),
          java.util.Arrays.toString(t.shape()), t.elementCount(), out);
    }
    return 0;
  }

  static void writeFloats(TensorView view, Path out) throws IOException {
    int rowLength = view.rowLength();
    int rowsPerChunk = (int) Math.max(1, Math.min(view.rows(), CHUNK_VALUES / Math.max(1, rowLength)));
    float[] values = new float[rowsPerChunk * rowLength];
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long row = 0; row < view.rows(); row += rowsPerChunk) {
        int rows = (int) Math.min(rowsPerChunk, view.rows() - row);
        view.readRows(row, rows, values, 0);
        bytes.clear();
        bytes.asFloatBuffer().put(values, 0, rows * rowLength);
        bytes.limit(rows * rowLength * 4);
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
      }
    }
  }
}
