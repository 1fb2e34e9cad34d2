package io.lazyq.it;

import io.lazyq.sample.SensorDay;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorView;
import io.lazyq.tensorfiles.TensorFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The cluster jobs' results computed without Spark or any LazyQ reader: sensor values from
 * {@link SensorDay}'s formulas, tensor values through the connector's own tensor reader.
 */
final class Expected {
  private Expected() {}

  /** Per sensor, in name order: sensor, count, sum(temperature), max(pressure), min(vibration), sum(crc32(temperature as string)). */
  static List<Object[]> aggregate(SensorDay day) {
    int k = day.sensors();
    long[] n = new long[k];
    double[] t = new double[k];
    float[] p = new float[k];
    float[] v = new float[k];
    long[] crc = new long[k];
    java.util.Arrays.fill(p, Float.NEGATIVE_INFINITY);
    java.util.Arrays.fill(v, Float.POSITIVE_INFINITY);
    CRC32 c = new CRC32();
    for (long r = 0; r < day.rows(); r++) {
      int s = day.sensorOf(r);
      float temp = day.temperature(r);
      n[s]++;
      t[s] += temp;
      p[s] = Math.max(p[s], day.pressure(r));
      v[s] = Math.min(v[s], day.vibration(r));
      c.reset();
      // Spark casts a float to the shortest string that reads back as the same float, as Java does.
      c.update(Float.toString(temp).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      crc[s] += c.getValue();
    }
    List<Object[]> rows = new ArrayList<>();
    for (int s = 0; s < k; s++) {
      rows.add(new Object[] {day.sensorName(s), n[s], t[s], p[s], v[s], crc[s]});
    }
    return rows;
  }

  /** count and sum(ts % 1000) of the rows of {@code sensor} whose vibration exceeds {@code above}. */
  static long[] filtered(SensorDay day, int sensor, float above) {
    long n = 0;
    long sum = 0;
    for (long r = sensor; r < day.rows(); r += day.sensors()) {
      if (day.vibration(r) > above) {
        n++;
        sum += day.timestampMicros(r) % 1000;
      }
    }
    return new long[] {n, sum};
  }

  /** Per tensor, in name order: name, rows, sum of every value (as doubles). */
  static List<Object[]> tensorRows(Path file) throws IOException {
    List<Object[]> out = new ArrayList<>();
    try (TensorFile f = TensorFiles.open(file)) {
      for (TensorInfo t : f.tensors().stream().sorted(java.util.Comparator.comparing(TensorInfo::name)).toList()) {
        TensorView view = f.view(t);
        float[] row = new float[view.rowLength()];
        double sum = 0;
        for (long r = 0; r < view.rows(); r++) {
          view.readRows(r, 1, row, 0);
          for (float x : row) {
            sum += x;
          }
        }
        out.add(new Object[] {t.name(), view.rows(), sum});
      }
    }
    return out;
  }
}
