package io.lazyq.it;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.quant.QuantType;
import io.lazyq.sample.SensorDay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cluster tests' sensor tables, written once per run into the shared data directory: one
 * {@link SensorDay} split over {@value #FILES} files by row ranges, once plain and once with
 * quantized channels. Every value can be recomputed from its row, independently of any reader.
 */
final class SensorTables {
  static final SensorDay DAY = new SensorDay(2_000_000, 8, 11);
  static final int FILES = 4;
  /** Small chunks, so that a scan has chunks to skip and partitions to spread. */
  private static final int CHUNK_ROWS = 1 << 16;

  private SensorTables() {}

  /** The plain table's directory, written if absent. */
  static synchronized Path plain() throws IOException {
    return ensure("sensors", SensorDay.schema());
  }

  /** The same rows with temperature as Q8_0 and pressure error-bounded to 0.01. */
  static synchronized Path quantized() throws IOException {
    Schema plain = SensorDay.schema();
    List<Field> fields = plain.fields().stream().map(f -> switch (f.name()) {
      case "temperature" -> f.withEncoding(ColumnEncoding.quantized(QuantType.Q8_0));
      case "pressure" -> f.withEncoding(ColumnEncoding.errorBounded(0.01));
      default -> f;
    }).toList();
    return ensure("sensors-quantized", new Schema(fields, plain.metadata()));
  }

  private static Path ensure(String name, Schema schema) throws IOException {
    Path dir = ItData.shared().resolve(name);
    Path done = dir.resolve("_written");
    if (Files.exists(done)) {
      return dir;
    }
    ItData.delete(dir);
    Files.createDirectories(dir);
    long perFile = DAY.rows() / FILES;
    for (int f = 0; f < FILES; f++) {
      long from = f * perFile;
      long to = f == FILES - 1 ? DAY.rows() : from + perFile;
      try (LzqWriter w = LzqWriter.create(dir.resolve("part-" + f + ".lzq"), schema,
          WriterOptions.DEFAULTS.withChunkRows(CHUNK_ROWS))) {
        for (long r = from; r < to; r++) {
          w.setLong(0, DAY.timestampMicros(r)).setString(1, DAY.sensorName(DAY.sensorOf(r)))
              .setFloat(2, DAY.temperature(r)).setFloat(3, DAY.pressure(r)).setFloat(4, DAY.vibration(r));
          w.endRow();
        }
        w.commit();
      }
    }
    // Marks the table complete; Spark reads only the .lzq files of the directory.
    Files.createFile(done);
    return dir;
  }
}
