package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.WriterOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of every command that writes a {@code .lzq} file: how columns are stored, and chunk size. */
final class EncodingOptions {
  @Option(names = "--quantize", paramLabel = "[col=]TYPE,...",
      description = "Quantize float columns: q8_0, q4_0, q4_1, q5_0, q5_1, f16, bf16, affine8, affine4 (a bare TYPE applies to all).")
  String quantize;

  @Option(names = "--error-bound", paramLabel = "[col=]E,...",
      description = "Error-bounded float columns: every value within E of its input (a bare E applies to all).")
  String errorBound;

  @Option(names = "--lossless", paramLabel = "none|zstd|blocks|lightweight|smallest",
      description = "A lossless stage, kept per chunk where it saves 5%% or more (default: block encodings or zstd,"
          + " whichever is smaller; lightweight: block encodings without zstd, the fastest to decode;"
          + " smallest: also float columns derived from others in their chunk, which a projection reads with them).")
  String lossless;

  @Option(names = "--chunk-rows", paramLabel = "N", description = "Rows per chunk (default: ${DEFAULT-VALUE}).")
  int chunkRows = WriterOptions.DEFAULT_CHUNK_ROWS;

  EncodingSpec spec() {
    return EncodingSpec.parse(quantize, errorBound).withLossless(lossless);
  }

  /** The options as the Spark source's write options name them. */
  Map<String, String> writeOptions() {
    Map<String, String> m = new LinkedHashMap<>();
    putIf(m, "quantize", quantize);
    putIf(m, "errorBound", errorBound);
    putIf(m, "lossless", lossless);
    m.put("chunkRows", String.valueOf(chunkRows));
    return m;
  }

  private static void putIf(Map<String, String> m, String key, String value) {
    if (value != null && !value.isBlank()) {
      m.put(key, value);
    }
  }

  WriterOptions writerOptions() {
    return WriterOptions.DEFAULTS.withChunkRows(chunkRows);
  }
}
