package io.lazyq.it;

import io.lazyq.quant.QuantType;
import io.lazyq.safetensors.SafetensorsWriter;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** F32 Safetensors files of deterministic values, written a few MB at a time. */
final class TensorSource {
  private TensorSource() {}

  /** The value at ({@code row}, {@code col}) of tensor number {@code t}: cheap, varied, in [-1, 1]. */
  static float value(int t, long row, int col) {
    long h = (row * 131 + col * 17 + t * 7919L) % 2001;
    return (h - 1000) * 0.001f;
  }

  /** Row {@code row} of tensor {@code t} into {@code dst}. */
  static void row(int t, long row, float[] dst, int cols) {
    for (int c = 0; c < cols; c++) {
      dst[c] = value(t, row, c);
    }
  }

  /** One 1-D tensor ("norm", kept as it is by a quantizer) and {@code count} F32 matrices. */
  static List<TensorSpec> specs(int count, long rows, long cols) {
    List<TensorSpec> specs = new ArrayList<>();
    specs.add(new TensorSpec("norm", ElementType.of(QuantType.F32), new long[] {cols}));
    for (int t = 0; t < count; t++) {
      specs.add(new TensorSpec("w" + t, ElementType.of(QuantType.F32), new long[] {rows, cols}));
    }
    return specs;
  }

  /** Tensor number of a spec from {@link #specs}: "norm" is 0, "wN" is N + 1. */
  static int number(TensorSpec spec) {
    return spec.name().equals("norm") ? 0 : Integer.parseInt(spec.name().substring(1)) + 1;
  }

  static void write(Path path, List<TensorSpec> specs) throws IOException {
    Metadata md = Metadata.of(Map.of("format", MetadataValue.string("pt")));
    try (SafetensorsWriter w = SafetensorsWriter.create(path, md, specs)) {
      for (TensorSpec s : specs) {
        long[] shape = s.shape();
        int cols = (int) shape[shape.length - 1];
        long rows = s.elementCount() / cols;
        int rowsPerPiece = Math.max(1, (4 << 20) / (4 * cols));
        float[] row = new float[cols];
        ByteBuffer piece = ByteBuffer.allocate(rowsPerPiece * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = piece.asFloatBuffer();
        w.beginTensor(s.name());
        for (long r = 0; r < rows; r += rowsPerPiece) {
          int n = (int) Math.min(rowsPerPiece, rows - r);
          floats.clear();
          for (int i = 0; i < n; i++) {
            row(number(s), r + i, row, cols);
            floats.put(row);
          }
          w.append(piece.clear().limit(n * cols * 4));
        }
        w.endTensor();
      }
      w.commit();
    }
  }
}
