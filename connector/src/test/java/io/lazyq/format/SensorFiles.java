package io.lazyq.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes each real sensor dataset ({@code .csv.xz} under the directory given) as one chunk of
 * {@code OUT/<dataset>/data.lzq} with the default lossless stage, as Spark's writer of a single
 * partition stores it: {@code ts} a timestamp (epoch microseconds, or ISO-8601 read at UTC where
 * it has no offset), {@code sensor} a string, every other column float32. For
 * {@link ColumnOpenBench} without Spark:
 *
 * <pre>
 * java -cp connector/target/test-classes:connector/target/classes:$(cat /tmp/cp.txt) io.lazyq.format.SensorFiles \
 *   /work/shared/realdata /tmp/sensor-files
 * </pre>
 */
public final class SensorFiles {
  private SensorFiles() {}

  public static void main(String[] args) throws Exception {
    Path out = Files.createDirectories(Path.of(args[1]));
    List<Path> sources;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      sources = s.filter(p -> p.toString().endsWith(".csv.xz")).sorted().toList();
    }
    for (Path xz : sources) {
      String name = xz.getFileName().toString().replaceFirst("\\.csv\\.xz$", "");
      Path file = Files.createDirectories(out.resolve(name)).resolve("data.lzq");
      write(xz, file);
      try (LzqFile f = LzqFile.open(file)) {
        ChunkDescriptor c = f.index().chunk(0);
        System.out.printf("%s: %,d rows, ts %s, %,d bytes%n", name, f.rowCount(),
            c.column(f.schema().indexOf("ts")).compression(), Files.size(file));
      }
    }
  }

  private static void write(Path xz, Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("xz", "-dc", xz.toString()).start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String[] header = in.readLine().split(",", -1);
      ColumnEncoding blocks = ColumnEncoding.PLAIN.withLossless(ColumnEncoding.Lossless.BLOCKS);
      List<Field> fields = new ArrayList<>();
      for (String h : header) {
        ColumnType t = h.equals("ts") ? ColumnType.TIMESTAMP : h.equals("sensor") ? ColumnType.UTF8 : ColumnType.FLOAT32;
        fields.add(Field.of(h, t).withEncoding(blocks));
      }
      try (LzqWriter w = LzqWriter.create(file, new Schema(fields, java.util.Map.of()), WriterOptions.DEFAULTS)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          String[] v = line.split(",", -1);
          for (int c = 0; c < header.length; c++) {
            if (v[c].isEmpty()) {
              w.setNull(c);
            } else if (header[c].equals("ts")) {
              w.setLong(c, micros(v[c]));
            } else if (header[c].equals("sensor")) {
              w.setString(c, v[c]);
            } else {
              w.setFloat(c, Float.parseFloat(v[c]));
            }
          }
          w.endRow();
        }
        w.commit();
      }
    }
    if (p.waitFor() != 0) {
      throw new IOException("xz -dc " + xz + " failed");
    }
  }

  private static long micros(String ts) {
    if (!ts.contains("T")) {
      return Long.parseLong(ts);
    }
    Instant at = ts.length() > 19 ? OffsetDateTime.parse(ts).toInstant() : LocalDateTime.parse(ts).toInstant(ZoneOffset.UTC);
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }
}
