package io.lazyq.tensorfiles;

import io.lazyq.gguf.GgufWriter;
import io.lazyq.quant.BlockCodec;
import io.lazyq.quant.QuantType;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorSpec;
import io.lazyq.tensor.TensorView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Quantizes the float tensors of a GGUF or Safetensors file into a GGUF file, streaming: one chunk
 * of whole rows at a time is dequantized, encoded and written, so memory stays near one chunk (a
 * million values, or one row if rows are longer) whatever the size of the file.
 *
 * <p>A tensor is quantized if it is F32, F16 or BF16, has at least 2 dimensions (1-D tensors, such
 * as norms and biases, stay as they are, as llama.cpp keeps them) and rows of whole blocks of the
 * target type. Every other tensor is copied as it is, and the plan lists it with the reason.
 * Metadata is copied (Safetensors' {@code __metadata__} as strings).
 */
public final class TensorQuantizer {
  /** The types a quantizer writes. */
  public static final Set<QuantType> TARGETS = EnumSet.of(QuantType.Q8_0, QuantType.Q4_0,
      QuantType.Q4_1, QuantType.Q5_0, QuantType.Q5_1, QuantType.F16, QuantType.BF16);
  static final int CHUNK_VALUES = 1 << 20;
  private static final long WRITE_BUFFER = 1 << 16;

  private TensorQuantizer() {}

  /** What happens to one tensor. */
  public record Step(TensorInfo source, TensorSpec output, String keptReason) {
    public boolean quantized() {
      return keptReason == null;
    }
  }

  /**
   * A quantization worked out from the index alone.
   *
   * @param outputBytes the exact size of the GGUF file
   * @param peakMemoryBytes heap needed beyond the reader's index: the output header, one chunk of
   *     floats, its encoding and the write buffer (mapped input pages are not counted)
   */
  public record Plan(QuantType target, List<Step> steps, Metadata metadata, long outputBytes,
      long peakMemoryBytes) {
    public Plan {
      steps = List.copyOf(steps);
    }

    /** The tensors copied as they are. */
    public List<Step> kept() {
      return steps.stream().filter(s -> !s.quantized()).toList();
    }

    List<TensorSpec> outputs() {
      return steps.stream().map(Step::output).toList();
    }
  }

  public static Plan plan(TensorFile in, QuantType target) {
    return plan(in, target, CHUNK_VALUES);
  }

  static Plan plan(TensorFile in, QuantType target, int chunkValues) {
    if (!TARGETS.contains(target)) {
      throw new IllegalArgumentException("cannot quantize to " + target.label() + "; targets: "
          + TARGETS.stream().map(QuantType::label).toList());
    }
    List<Step> steps = new ArrayList<>();
    long largestChunk = 0;
    for (TensorInfo t : in.tensors()) {
      String reason = keptReason(t, target);
      ElementType type = reason == null ? ElementType.of(target) : t.type();
      steps.add(new Step(t, new TensorSpec(t.name(), type, t.shape()), reason));
      if (reason == null) {
        largestChunk = Math.max(largestChunk, chunkRows(t, chunkValues) * t.rowLength());
      }
    }
    Metadata md = in.metadata();
    List<TensorSpec> outputs = steps.stream().map(Step::output).toList();
    long peak = GgufWriter.headerSize(md, outputs) + 4 * largestChunk
        + target.byteSize(largestChunk) + WRITE_BUFFER;
    return new Plan(target, steps, md, GgufWriter.fileSize(md, outputs), peak);
  }

  private static String keptReason(TensorInfo t, QuantType target) {
    if (t.type() == ElementType.of(target)) {
      return "already " + target.label();
    }
    if (!t.type().isFloat()) {
      return "not a float tensor (" + t.type() + ")";
    }
    if (t.rank() < 2) {
      return "1-D";
    }
    if (t.rowLength() % target.blockSize() != 0) {
      return "rows of " + t.rowLength() + " values are not whole blocks of " + target.blockSize();
    }
    return null;
  }

  private static long chunkRows(TensorInfo t, int chunkValues) {
    return Math.max(1, Math.min(t.rows(), chunkValues / Math.max(1, t.rowLength())));
  }

  /** Writes the quantized file to {@code out} (atomically) and returns its plan. */
  public static Plan quantize(TensorFile in, Path out, QuantType target) throws IOException {
    return quantize(in, out, target, CHUNK_VALUES);
  }

  static Plan quantize(TensorFile in, Path out, QuantType target, int chunkValues)
      throws IOException {
    Plan plan = plan(in, target, chunkValues);
    BlockCodec codec = target.codec();
    float[] values = new float[0];
    ByteBuffer encoded = ByteBuffer.allocate(0);
    try (GgufWriter w = GgufWriter.create(out, plan.metadata(), plan.outputs())) {
      for (Step s : plan.steps()) {
        TensorInfo t = s.source();
        if (!s.quantized()) {
          w.writeTensor(t.name(), in.data(t));
          continue;
        }
        TensorView view = in.view(t);
        int rowLength = view.rowLength();
        int rowsPerChunk = (int) chunkRows(t, chunkValues);
        if (values.length < rowsPerChunk * rowLength) {
          values = new float[rowsPerChunk * rowLength];
          encoded = ByteBuffer.allocate((int) target.byteSize(values.length))
              .order(ByteOrder.LITTLE_ENDIAN);
        }
        w.beginTensor(t.name());
        for (long row = 0; row < view.rows(); row += rowsPerChunk) {
          int rows = (int) Math.min(rowsPerChunk, view.rows() - row);
          view.readRows(row, rows, values, 0);
          encoded.clear();
          codec.encode(values, 0, rows * rowLength, encoded);
          w.append(encoded.flip());
        }
        w.endTensor();
      }
      w.commit();
    }
    return plan;
  }
}
