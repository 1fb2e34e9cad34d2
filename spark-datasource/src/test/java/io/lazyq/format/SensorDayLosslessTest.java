package io.lazyq.format;

import static io.lazyq.format.TableReads.assertRowsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.lazyq.LazyQFormatException;
import io.lazyq.quant.QuantType;
import io.lazyq.sample.SensorDay;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lossless stage on the demo's sensor day, which lives with the command line. */
class SensorDayLosslessTest {
  @TempDir Path dir;

  @Test
  void zstdColumnsReadBackIdenticallyThroughBothReaders() throws Exception {
    SensorDay day = new SensorDay(200_000, 16, 4);
    Path plain = write(day, EncodingSpec.parse("vibration=q8_0", "temperature=0.01").withLossless("none"), "plain.lzq");
    Path packed = write(day, EncodingSpec.parse("vibration=q8_0", "temperature=0.01").withLossless("zstd"), "packed.lzq");
    assertTrue(Files.size(packed) < Files.size(plain), "zstd made the file smaller");
    try (LzqFile f = LzqFile.open(packed)) {
      long compressed = f.index().chunks().stream().flatMap(c -> c.columns().stream())
          .filter(c -> c.compression() == ColumnEncoding.Lossless.ZSTD).count();
      assertTrue(compressed > 0, "some column chunks kept the zstd stage");
      ColumnChunk ts = f.index().chunk(0).column(f.schema().indexOf("ts"));
      assertEquals(ColumnEncoding.Lossless.DELTA_ZSTD, ts.compression(), "timestamps take the delta predictor");
      assertTrue(ts.length() < ts.values().decodedLength() / 20, "a regular clock compresses more than 20-fold");
    }
    List<Object[]> expected = TableReads.readMapped(plain);
    assertRowsEqual(expected, TableReads.readMapped(packed));
    assertRowsEqual(expected, TableReads.readStream(packed));
  }

  @Test
  void aFalseDecodedLengthIsRefusedWithoutAllocatingIt() {
    byte[] packed = Zstd.compress(new byte[1000]);
    ByteBuffer b = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
    LazyQFormatException more = assertThrows(LazyQFormatException.class,
        () -> LosslessStage.decompress(b, 999, "f", 10));
    assertTrue(more.getMessage().contains("declares 1000 decoded bytes, the chunk 999"), more.getMessage());
    assertThrows(LazyQFormatException.class, () -> LosslessStage.decompress(b, 1001, "f", 10));
    assertThrows(LazyQFormatException.class, () -> LosslessStage.decompress(b, 1L << 40, "f", 10));
    assertThrows(LazyQFormatException.class, () -> LosslessStage.decompress(ByteBuffer.wrap(new byte[] {1, 2, 3}), 64, "f", 10));
    assertEquals(1000, assertDoesNotThrow(() -> LosslessStage.decompress(b, 1000, "f", 10)).remaining());
  }

  /**
   * The measurement behind the default (off): zstd's gain, alone and after a byte-wise left
   * predictor, on ggml's codes and on LazyQ's sensor encodings. Printed for docs/BENCHMARKS.md.
   */
  @Test
  void gainOnFixturesAndSensorSignals() throws Exception {
    StringBuilder table = new StringBuilder("| data | encoding | bytes | zstd | left + zstd |\n|---|---|---:|---:|---:|\n");
    Path fixtures = Path.of(System.getProperty("lazyq.fixtures"), "ggml");
    for (String type : List.of("q8_0", "q4_0", "q4_K", "q6_K")) {
      byte[] all = new byte[0];
      for (String t : List.of("blk.0.attn_q.weight", "blk.0.ffn_up.weight", "blk.0.mixed.weight")) {
        byte[] b = Files.readAllBytes(fixtures.resolve(type).resolve(t + ".q.bin"));
        all = concat(all, b);
      }
      row(table, "ggml fixtures (3 tensors)", type, all);
    }
    SensorDay day = new SensorDay(1_000_000, 16, 1);
    float[] pressure = new float[(int) day.rows()];
    for (int i = 0; i < pressure.length; i++) {
      pressure[i] = day.pressure(i);
    }
    ByteBuffer raw = ByteBuffer.allocate(pressure.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(pressure);
    row(table, "sensor pressure, 1 M samples", "plain float32", raw.array());
    for (ColumnEncoding e : List.of(ColumnEncoding.quantized(QuantType.Q8_0), ColumnEncoding.quantized(QuantType.AFFINE8),
        ColumnEncoding.errorBounded(0.01))) {
      var codec = Encoders.forEncoding(e);
      ByteBuffer out = ByteBuffer.allocate((int) codec.maxEncodedBytes(pressure.length)).order(ByteOrder.LITTLE_ENDIAN);
      codec.encode(pressure, 0, pressure.length, out);
      row(table, "sensor pressure, 1 M samples", e.toString(), java.util.Arrays.copyOf(out.array(), out.position()));
    }
    System.out.println("Lossless stage gain (compressed size as a fraction of the input):\n" + table);
  }

  private static void row(StringBuilder table, String data, String encoding, byte[] bytes) {
    double z = (double) Zstd.compress(bytes, LosslessStage.LEVEL).length / bytes.length;
    byte[] left = bytes.clone();
    for (int i = left.length - 1; i > 0; i--) {
      left[i] -= left[i - 1];
    }
    double lz = (double) Zstd.compress(left, LosslessStage.LEVEL).length / bytes.length;
    table.append(String.format("| %s | %s | %,d | %.3f | %.3f |%n", data, encoding, bytes.length, z, lz));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
    return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
  }

  private Path write(SensorDay day, EncodingSpec spec, String name) throws Exception {
    Path p = dir.resolve(name);
    try (LzqWriter w = LzqWriter.create(p, spec.applyTo(SensorDay.schema()), WriterOptions.DEFAULTS.withChunkRows(50_000))) {
      day.write(w, n -> { });
      w.commit();
    }
    return p;
  }
}
