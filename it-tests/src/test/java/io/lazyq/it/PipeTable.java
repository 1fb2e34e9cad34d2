package io.lazyq.it;

import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A large, fast-to-write table for streaming tests: {@code id int64, values list<float32>} with
 * {@value #WIDTH} values per row (about 1 KiB), every value a pure function of its row and index,
 * so that a reader in another JVM checks each one without the writer's help.
 */
final class PipeTable {
  static final int WIDTH = 256;

  private PipeTable() {}

  static Schema schema() {
    return Schema.of(Field.of("id", ColumnType.INT64), Field.of("values", ColumnType.listOf(ColumnType.FLOAT32)));
  }

  static long id(long row) {
    return row * 7 + 3;
  }

  /** Exact in float32: small multiples of powers of two. */
  static float value(long row, int i) {
    return (row % 10_007) * 0.5f + i * 0.0625f;
  }

  /** An order-sensitive checksum of rows as they are read or written. */
  static final class Checksum {
    private long h = 1;

    void add(long id, float[] values, int count) {
      h = h * 0x9E37_79B9_7F4A_7C15L + id;
      for (int i = 0; i < count; i++) {
        h = h * 31 + Float.floatToRawIntBits(values[i]);
      }
    }

    long value() {
      return h;
    }
  }

  /** Writes {@code rows} rows to {@code path} in chunks of {@code chunkBytes}; returns the checksum. */
  static long write(Path path, long rows, long chunkBytes) throws IOException {
    Checksum sum = new Checksum();
    float[] v = new float[WIDTH];
    try (LzqWriter w = LzqWriter.create(path, schema(), WriterOptions.DEFAULTS.withChunkBytes(chunkBytes))) {
      for (long r = 0; r < rows; r++) {
        for (int i = 0; i < WIDTH; i++) {
          v[i] = value(r, i);
        }
        w.setLong(0, id(r)).setFloats(1, v).endRow();
        sum.add(id(r), v, WIDTH);
      }
      w.commit();
    }
    return sum.value();
  }
}
