package io.lazyq.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Re-encodes a {@code .lzq} file (for example, quantizes its float columns) by streaming: one
 * chunk is read, re-encoded and written at a time, so memory is about one input chunk plus one
 * output chunk, whatever the file's size. Chunk boundaries are kept.
 */
public final class LzqRewrite {
  private LzqRewrite() {}

  /** What a rewrite produced, or would produce: {@link #plan} fills it from the index alone. */
  public record Result(Schema schema, long rows, int chunks, long bytesWritten) {}

  /**
   * Reads {@code in} sequentially and writes {@code out} with {@code spec} applied.
   *
   * @param progress hears the rows written after each chunk
   */
  public static Result rewrite(InputStream in, String source, Path out, EncodingSpec spec, LongConsumer progress)
      throws IOException {
    try (LzqStream stream = LzqStream.open(in, source, StreamOptions.DEFAULTS)) {
      Schema schema = spec.applyTo(stream.schema());
      try (LzqWriter w = LzqWriter.create(out, schema, WriterOptions.DEFAULTS)) {
        ColumnView[] views = new ColumnView[schema.size()];
        while (stream.next()) {
          for (int c = 0; c < views.length; c++) {
            views[c] = stream.column(c);
          }
          w.appendChunk(views);
          progress.accept(w.rowCount());
        }
        w.commit();
        return new Result(schema, w.rowCount(), w.chunkCount(), w.bytesWritten());
      }
    }
  }

  /**
   * The output size and peak memory of a rewrite, from the input's index alone. Sizes of
   * error-bounded columns are upper bounds (every block verbatim).
   */
  public static Plan plan(FileMetadata in, EncodingSpec spec) {
    Schema schema = spec.applyTo(in.schema());
    long output = FileLayout.FILE_HEADER_BYTES + 4096L;
    long peak = 0;
    for (io.lazyq.format.ChunkDescriptor chunk : in.index().chunks()) {
      long chunkOut = FileLayout.FRAME_HEADER_BYTES + 64L * (schema.size() + 2) + 126L * schema.size();
      long raw = 0;
      for (int c = 0; c < schema.size(); c++) {
        io.lazyq.format.ColumnChunk col = chunk.column(c);
        io.lazyq.format.ColumnEncoding to = schema.field(c).encoding();
        // A derived chunk is stored anew (a rewrite reads a column asking for smallest as blocks).
        if (to.equals(in.schema().field(c).encoding()) && col.compression() != ColumnEncoding.Lossless.DERIVED) {
          chunkOut += col.length();
          continue;
        }
        long values = to.isQuantized() ? to.quant().codec().maxEncodedBytes(col.valueCount()) : 4 * col.valueCount();
        chunkOut += col.validity().decodedLength() + col.offsets().decodedLength() + values + 192;
        raw += 4 * col.valueCount() + values;
      }
      output += chunkOut + 126L * schema.size() + 16;
      peak = Math.max(peak, chunk.payloadLength() + chunkOut + raw);
    }
    return new Plan(schema, in.index().rowCount(), in.index().size(), output, peak);
  }

  /** A planned rewrite. */
  public record Plan(Schema schema, long rows, int chunks, long outputBytes, long peakMemoryBytes) {}
}
