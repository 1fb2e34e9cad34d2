package io.lazyq.arrow;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.quant.QuantType;
import java.nio.file.Path;
import java.util.Random;

/** A table with a Q8_0 float column, a Q4_0 one, an error-bounded one and a Q8_0 list column. */
final class QuantizedSample {
  static final Schema SCHEMA = Schema.of(
      Field.of("id", ColumnType.INT64),
      Field.of("q8", ColumnType.FLOAT32).withEncoding(ColumnEncoding.quantized(QuantType.Q8_0)),
      Field.of("q4", ColumnType.FLOAT32).withEncoding(ColumnEncoding.quantized(QuantType.Q4_0)),
      Field.of("eb", ColumnType.FLOAT32).withEncoding(ColumnEncoding.errorBounded(1e-3)),
      Field.of("rows", ColumnType.listOf(ColumnType.FLOAT32)).withEncoding(ColumnEncoding.quantized(QuantType.Q8_0)));

  private QuantizedSample() {}

  static Path write(Path file, int rows, int chunkRows) throws Exception {
    Random r = new Random(42);
    try (LzqWriter w = LzqWriter.create(file, SCHEMA, WriterOptions.DEFAULTS.withChunkRows(chunkRows))) {
      for (int i = 0; i < rows; i++) {
        float[] list = new float[r.nextInt(70)];
        for (int j = 0; j < list.length; j++) {
          list[j] = (float) r.nextGaussian();
        }
        w.setLong(0, i).setFloat(1, (float) Math.sin(i * 0.01) * 10).setFloat(2, (float) r.nextGaussian())
            .setFloat(3, 1013.25f + (float) r.nextGaussian()).setFloats(4, list).endRow();
      }
      w.commit();
    }
    return file;
  }
}
