package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integer and timestamp values under {@code zstd} and {@code delta+zstd} decode bit for bit, at
 * sizes from 0 values to chunks of several zstd blocks: each stage's frame made here from the
 * values (the differences computed here), decoded from heap and direct buffers; and files written
 * with the stage, read through both readers, every value compared.
 */
class ZstdStageTest {
  private static final int[] SIZES = {0, 1, 2, 3, 7, 100, 1023, 4097, 70_000, 300_000};
  private static final List<ColumnType> TYPES = List.of(ColumnType.INT32, ColumnType.INT64, ColumnType.TIMESTAMP);

  @TempDir Path dir;

  @Test
  void framesDecodeValueByValue() throws Exception {
    for (ColumnType type : TYPES) {
      int width = type.kind().width();
      for (int n : SIZES) {
        for (int pattern = 0; pattern < 3; pattern++) {
          long[] values = values(n, pattern, width, n * 31L + pattern);
          byte[] raw = bytes(values, width, false);
          byte[] deltas = bytes(values, width, true);
          check(values, width, Zstd.compress(raw, LosslessStage.LEVEL), 0, type + " zstd, " + n + " values");
          check(values, width, Zstd.compress(deltas, LosslessStage.LEVEL), width, type + " delta+zstd, " + n + " values");
        }
      }
    }
  }

  /**
   * The content size read from a frame's header, for each width of its field (1, 2 with its 256
   * offset, 4 and 8 bytes) and none: what sends a chunk to the one-call path.
   */
  @Test
  void frameHeadersDeclareTheirSize() throws Exception {
    for (int n : new int[] {0, 1, 255, 256, 257, 65_791, 65_792, 300_000, 1 << 21}) {
      byte[] frame = Zstd.compress(new byte[n], LosslessStage.LEVEL);
      byte[] shifted = new byte[frame.length + 3];
      System.arraycopy(frame, 0, shifted, 3, frame.length);
      assertEquals(n, LosslessStage.frameContentSize(shifted, 3, frame.length), n + " bytes");
    }
    java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
    try (com.github.luben.zstd.ZstdOutputStream out = new com.github.luben.zstd.ZstdOutputStream(streamed)) {
      out.write(new byte[5000]);
    }
    byte[] unsized = streamed.toByteArray();
    assertEquals(-1, LosslessStage.frameContentSize(unsized, 0, unsized.length), "a streamed frame declares no size");
    assertEquals(-1, LosslessStage.frameContentSize(new byte[] {1, 2, 3, 4, 5, 6}, 0, 6), "not a frame");
    byte[] frame = Zstd.compress(new byte[300_000], LosslessStage.LEVEL);
    assertEquals(-1, LosslessStage.frameContentSize(frame, 0, 6), "a header cut short");
  }

  /**
   * 2^21 regular timestamps: 16 MiB from a frame of a few hundred bytes, beyond a reader's
   * allocation allowance for its size, so it decodes through the growing array and still comes
   * back whole.
   */
  @Test
  void aFrameBeyondTheAllowanceDecodesAsItGrows() throws Exception {
    long[] values = new long[1 << 21];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1_767_225_600_000_000L + 1_000L * i;
    }
    byte[] frame = Zstd.compress(bytes(values, 8, true), LosslessStage.LEVEL);
    assertTrue(8L * values.length > 4L * frame.length + (8 << 20), frame.length + " bytes");
    check(values, 8, frame, 8, "2^21 timestamps, delta+zstd");
  }

  @Test
  void filesUnderBothStagesReadBack() throws Exception {
    for (ColumnType type : TYPES) {
      Set<ColumnEncoding.Lossless> seen = EnumSet.noneOf(ColumnEncoding.Lossless.class);
      int width = type.kind().width();
      for (int n : new int[] {1, 100, 4097, 300_000}) {
        for (int pattern = 0; pattern < 3; pattern++) {
          long[] values = values(n, pattern, width, n * 17L + pattern);
          Path path = dir.resolve(type.kind() + "-" + n + "-" + pattern + ".lzq");
          Schema schema = Schema.of(Field.of("v", type).withEncoding(
              ColumnEncoding.PLAIN.withLossless(ColumnEncoding.Lossless.ZSTD)));
          try (LzqWriter w = LzqWriter.create(path, schema, WriterOptions.DEFAULTS)) {
            for (long v : values) {
              if (width == 4) {
                w.setInt(0, (int) v);
              } else {
                w.setLong(0, v);
              }
              w.endRow();
            }
            w.commit();
          }
          try (LzqFile f = LzqFile.open(path)) {
            seen.add(f.index().chunk(0).column(0).compression());
            try (ColumnView v = f.column(0, 0)) {
              assertValues(values, width, v, path + " mapped");
            }
          }
          try (InputStream in = Files.newInputStream(path);
              LzqStream s = LzqStream.open(in, path.toString(), StreamOptions.DEFAULTS)) {
            assertTrue(s.next());
            assertValues(values, width, s.column(0), path + " streamed");
          }
        }
      }
      assertEquals(EnumSet.of(ColumnEncoding.Lossless.NONE, ColumnEncoding.Lossless.ZSTD,
          ColumnEncoding.Lossless.DELTA_ZSTD), seen, type + ": the stages the files stored");
    }
  }

  /** Decodes {@code frame} from a heap buffer at an offset and from a direct one, and compares every value. */
  private static void check(long[] values, int width, byte[] frame, int deltaWidth, String what) throws Exception {
    long decoded = (long) values.length * width;
    ByteBuffer heap = ByteBuffer.allocate(frame.length + 5).position(5).put(frame).position(5).slice();
    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 3).position(3).put(frame).position(3).slice();
    for (ByteBuffer packed : List.of(heap, direct, heap.asReadOnlyBuffer())) {
      ByteBuffer out = LosslessStage.decompress(packed, decoded, deltaWidth, "test", 0);
      assertEquals(decoded, out.remaining(), what);
      for (int i = 0; i < values.length; i++) {
        long got = width == 4 ? out.getInt(4 * i) : out.getLong(8 * i);
        assertEquals(values[i], got, what + ", value " + i);
      }
    }
  }

  private static void assertValues(long[] values, int width, ColumnView v, String what) {
    assertEquals(values.length, v.rows(), what);
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i], width == 4 ? v.getInt(i) : v.getLong(i), what + ", row " + i);
    }
  }

  /**
   * 0: timestamps at a fixed step with gaps (deltas win); 1: a few distinct values at random (the
   * stage without deltas wins); 2: values at random over the whole range (differences wrap).
   */
  private static long[] values(int n, int pattern, int width, long seed) {
    Random r = new Random(seed);
    long[] v = new long[n];
    long t = width == 4 ? -1_000_000 : 1_767_225_600_000_000L;
    long[] few = {3, -7, 1L << 40, Long.MIN_VALUE, 12_345};
    for (int i = 0; i < n; i++) {
      switch (pattern) {
        case 0 -> v[i] = t += r.nextInt(50) == 0 ? r.nextInt(1 << 20) : 300;
        case 1 -> v[i] = few[r.nextInt(few.length)];
        default -> v[i] = r.nextLong();
      }
      if (width == 4) {
        v[i] = (int) v[i];
      }
    }
    return v;
  }

  /** The values as little-endian bytes of {@code width}, or their differences from the value before (the first from 0). */
  private static byte[] bytes(long[] values, int width, boolean delta) {
    ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    long previous = 0;
    for (long v : values) {
      long d = delta ? v - previous : v;
      previous = v;
      if (width == 4) {
        b.putInt((int) d);
      } else {
        b.putLong(d);
      }
    }
    return b.array();
  }
}
