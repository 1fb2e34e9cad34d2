package io.lazyq.spark;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.quant.QuantType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A deterministic sensor table kept in memory as the independent expectation: {@code ts}
 * (increasing), {@code sensor}, {@code value} (error-bounded, 0.01), {@code vib} (q8_0),
 * {@code temp} (plain float64) and {@code window} (list of q8_0 floats).
 */
final class SensorTable {
  static final double VALUE_BOUND = 0.01;
  static final long T0 = 1_767_225_600_000_000L;

  final int rows;
  final long[] ts;
  final String[] sensor;
  final float[] value;
  final float[] vib;
  final double[] temp;
  final float[][] window;

  SensorTable(int rows, long seed) {
    this.rows = rows;
    Random r = new Random(seed);
    ts = new long[rows];
    sensor = new String[rows];
    value = new float[rows];
    vib = new float[rows];
    temp = new double[rows];
    window = new float[rows][];
    for (int i = 0; i < rows; i++) {
      ts[i] = T0 + i * 100_000L;
      sensor[i] = "s" + (i % 8);
      value[i] = (float) (1013.25 + 2 * Math.sin(i / 500.0) + r.nextGaussian() * 0.1);
      vib[i] = (float) r.nextGaussian();
      temp[i] = 20 + (i % 8) + r.nextDouble();
      window[i] = new float[r.nextInt(9)];
      for (int j = 0; j < window[i].length; j++) {
        window[i][j] = r.nextFloat() * 2 - 1;
      }
    }
  }

  static Schema schema() {
    return Schema.of(
        new Field("ts", ColumnType.TIMESTAMP, false, ColumnEncoding.PLAIN),
        new Field("sensor", ColumnType.UTF8, false, ColumnEncoding.PLAIN),
        new Field("value", ColumnType.FLOAT32, false, ColumnEncoding.errorBounded(VALUE_BOUND)),
        new Field("vib", ColumnType.FLOAT32, false, ColumnEncoding.quantized(QuantType.Q8_0)),
        new Field("temp", ColumnType.FLOAT64, false, ColumnEncoding.PLAIN),
        new Field("window", ColumnType.listOf(ColumnType.FLOAT32), false, ColumnEncoding.quantized(QuantType.Q8_0)));
  }

  /** Writes rows {@code [from, to)} in chunks of {@code chunkRows}. */
  Path write(Path path, int from, int to, int chunkRows) throws IOException {
    try (LzqWriter w = LzqWriter.create(path, schema(), WriterOptions.DEFAULTS.withChunkRows(chunkRows))) {
      for (int i = from; i < to; i++) {
        w.setLong(0, ts[i]).setString(1, sensor[i]).setFloat(2, value[i]).setFloat(3, vib[i]).setDouble(4, temp[i])
            .setFloats(5, window[i]).endRow();
      }
      w.commit();
    }
    return path;
  }

  Path write(Path path, int chunkRows) throws IOException {
    return write(path, 0, rows, chunkRows);
  }

  /** The q8_0 error bound of a block of values whose largest magnitude is at most {@code amax}. */
  static double q8Bound(double amax) {
    return amax / 127 * 0.5 + 1e-6 + amax * 1e-3;
  }
}
