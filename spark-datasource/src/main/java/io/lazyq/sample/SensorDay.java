package io.lazyq.sample;

import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A deterministic synthetic day of high-frequency sensor readings: {@code sensors} sensors sampled
 * in turn over 24 hours, each with a temperature, a pressure and a vibration channel. Signals have
 * daily cycles, slow drift, noise and anomaly windows (vibration bursts with a temperature rise).
 *
 * <p>Every value is a pure function of its row index and the seed, so tests can recompute any row
 * independently of the file that holds it.
 *
 * @param rows samples in the day
 * @param sensors sensors, sampled round-robin
 * @param seed varies phases, noise and anomalies
 */
public record SensorDay(long rows, int sensors, long seed) {
  public static final long DAY_START_MICROS = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
  private static final double DAY_MICROS = 86_400e6;
  /** Anomalies are decided per sensor and 10-second window. */
  public static final long WINDOW_MICROS = 10_000_000L;
  /** Probability that a window is anomalous, in thousandths. */
  private static final int ANOMALY_PER_MILLE = 3;

  public static final List<String> CHANNELS = List.of("temperature", "pressure", "vibration");

  public SensorDay {
    if (rows < 0 || sensors < 1 || sensors > 10_000) {
      throw new IllegalArgumentException("need rows >= 0 and 1 <= sensors <= 10000");
    }
  }

  /** {@code ts timestamp, sensor utf8, temperature float32, pressure float32, vibration float32}, all plain. */
  public static Schema schema() {
    return new Schema(List.of(
        new Field("ts", ColumnType.TIMESTAMP, false, io.lazyq.format.ColumnEncoding.PLAIN),
        new Field("sensor", ColumnType.UTF8, false, io.lazyq.format.ColumnEncoding.PLAIN),
        Field.of("temperature", ColumnType.FLOAT32),
        Field.of("pressure", ColumnType.FLOAT32),
        Field.of("vibration", ColumnType.FLOAT32)),
        Map.of("lazyq.sample", "sensors"));
  }

  public long intervalMicros() {
    long perSensor = Math.max(1, (rows + sensors - 1) / sensors);
    return Math.max(1, (long) (DAY_MICROS / perSensor));
  }

  public int sensorOf(long row) {
    return (int) (row % sensors);
  }

  public String sensorName(int sensor) {
    return String.format("s-%02d", sensor);
  }

  public long timestampMicros(long row) {
    return DAY_START_MICROS + (row / sensors) * intervalMicros() + sensorOf(row);
  }

  /** Whether the row falls in one of its sensor's anomaly windows. */
  public boolean isAnomalous(long row) {
    long window = (timestampMicros(row) - DAY_START_MICROS) / WINDOW_MICROS;
    return Long.remainderUnsigned(mix(seed ^ 0xA5A5_0000L ^ sensorOf(row) * 0x9E37_79B9L ^ window * 0xC2B2_AE35L), 1000)
        < ANOMALY_PER_MILLE;
  }

  public float temperature(long row) {
    int s = sensorOf(row);
    double t = dayFraction(row);
    double v = 18 + s * 0.5 + 6 * Math.sin(2 * Math.PI * (t - 0.3) + phase(s, 1))
        + 0.8 * Math.sin(2 * Math.PI * t * 12 + phase(s, 2)) + 0.05 * noise(row, 1);
    return (float) (isAnomalous(row) ? v + 2.5 : v);
  }

  public float pressure(long row) {
    int s = sensorOf(row);
    double t = dayFraction(row);
    return (float) (1013.25 + 1.5 * Math.sin(2 * Math.PI * t + phase(s, 3)) + 0.3 * t + 0.02 * noise(row, 2));
  }

  public float vibration(long row) {
    double base = 0.2 + 0.05 * Math.abs(noise(row, 3));
    return (float) (isAnomalous(row) ? base + 3 + Math.abs(noise(row, 4)) : base);
  }

  /** Writes every row, in order; {@code progress} hears the rows written, every 65,536. */
  public void write(LzqWriter w, LongConsumer progress) throws IOException {
    for (long r = 0; r < rows; r += 0x10000) {
      long to = Math.min(rows, r + 0x10000);
      writeRows(w, r, to);
      progress.accept(to);
    }
    progress.accept(rows);
  }

  /** Writes rows {@code from} (inclusive) to {@code to} (exclusive), which may run past the day. */
  public void writeRows(LzqWriter w, long from, long to) throws IOException {
    int ts = w.schema().indexOf("ts");
    int sensor = w.schema().indexOf("sensor");
    int temp = w.schema().indexOf("temperature");
    int pres = w.schema().indexOf("pressure");
    int vib = w.schema().indexOf("vibration");
    String[] names = new String[sensors];
    for (int s = 0; s < sensors; s++) {
      names[s] = sensorName(s);
    }
    for (long r = from; r < to; r++) {
      w.setLong(ts, timestampMicros(r)).setString(sensor, names[sensorOf(r)])
          .setFloat(temp, temperature(r)).setFloat(pres, pressure(r)).setFloat(vib, vibration(r));
      w.endRow();
    }
  }

  private double dayFraction(long row) {
    return (timestampMicros(row) - DAY_START_MICROS) / DAY_MICROS;
  }

  private double phase(int sensor, int channel) {
    return (mix(seed * 31 + sensor * 131 + channel) >>> 11) * 0x1.0p-53 * 2 * Math.PI;
  }

  /** Roughly standard normal: the sum of four uniforms, centred and scaled. */
  private double noise(long row, int channel) {
    long h = mix(seed ^ (row * 0x9E37_79B9_7F4A_7C15L) ^ channel);
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += (h & 0xFFFF) / 65536.0;
      h >>>= 16;
    }
    return (sum - 2) * 1.732;
  }

  /** splitmix64's finaliser: a well-mixed hash of a long. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
