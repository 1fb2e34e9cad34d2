package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lazyq.LazyQFormatException;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every damaged file raises {@link LazyQFormatException} naming the file and an offset, through
 * both readers, quickly, and without allocating more than a small multiple of the file's size.
 */
class CorruptInputTest {
  @TempDir Path dir;
  private byte[] good;
  private Path damaged;
  private int written;

  @BeforeEach
  void writeSmallFile() throws Exception {
    Path path = dir.resolve("good.lzq");
    Schema schema = SampleTables.allTypes();
    List<Field> fields = new java.util.ArrayList<>(schema.fields());
    fields.add(Field.of("q", ColumnType.FLOAT32).withEncoding(ColumnEncoding.quantized(io.lazyq.quant.QuantType.Q8_0)));
    fields.add(Field.of("e", ColumnType.FLOAT32).withEncoding(ColumnEncoding.errorBounded(1e-3)));
    ColumnEncoding zstd = ColumnEncoding.PLAIN.withLossless(ColumnEncoding.Lossless.ZSTD);
    fields.add(Field.of("clock", ColumnType.TIMESTAMP).withEncoding(zstd));
    fields.add(Field.of("label", ColumnType.UTF8).withEncoding(zstd));
    Schema wide = new Schema(fields, java.util.Map.of("k", "v"));
    List<Object[]> rows = SampleTables.allTypesRows(12, 3);
    try (LzqWriter w = LzqWriter.create(path, wide, WriterOptions.DEFAULTS.withChunkRows(8))) {
      int i = 0;
      for (Object[] row : rows) {
        for (int c = 0; c < row.length; c++) {
          w.setObject(c, row[c]);
        }
        w.setFloat(row.length, i * 0.5f).setFloat(row.length + 1, 1013.25f + i * 0.01f)
            .setLong(row.length + 2, 1_767_225_600_000_000L + i * 1000L).setString(row.length + 3, "sensor-" + (i % 3)).endRow();
        i++;
      }
      w.commit();
    }
    good = Files.readAllBytes(path);
    try (LzqFile f = LzqFile.open(path)) {
      assertEquals(ColumnEncoding.Lossless.DELTA_ZSTD, f.index().chunk(0).column(f.schema().indexOf("clock")).compression());
      assertEquals(ColumnEncoding.Lossless.ZSTD, f.index().chunk(0).column(f.schema().indexOf("label")).compression());
    }
    damaged = dir.resolve("damaged.lzq");
  }

  @Test
  void theUndamagedFileReads() throws Exception {
    assertEquals(Outcome.READ, readBoth(good));
  }

  @Test
  void truncationAtEveryByte() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int n = 0; n < good.length; n++) {
        Outcome o = readBoth(java.util.Arrays.copyOf(good, n));
        if (o != Outcome.REFUSED) {
          fail("a file cut to " + n + " of " + good.length + " bytes was " + o);
        }
      }
    });
  }

  /**
   * Flips every byte of the headers, descriptors, footer and trailer, and every 13th byte of column
   * data (which checksums guard alike), through both readers.
   */
  @Test
  void singleByteFlips() {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      java.util.BitSet data = new java.util.BitSet();
      Files.write(damaged, good);
      try (LzqFile f = LzqFile.open(damaged)) {
        for (ChunkDescriptor c : f.index().chunks()) {
          long start = c.payloadOffset() + MetadataCodec.chunkDataStart(f.schema().size());
          data.set((int) start, (int) (c.payloadOffset() + c.payloadLength()));
        }
      }
      int read = 0;
      int tried = 0;
      long slowest = 0;
      for (int i = 0; i < good.length; i++) {
        if (data.get(i) && i % 13 != 0) {
          continue;
        }
        long t0 = System.nanoTime();
        byte[] b = good.clone();
        b[i] ^= (byte) (0x5A + i);
        tried++;
        if (readBoth(b) == Outcome.READ) {
          read++;
        }
        slowest = Math.max(slowest, System.nanoTime() - t0);
      }
      // Only padding and reserved bytes may change without being noticed.
      assertTrue(read < tried / 4, read + " of " + tried + " flips went unnoticed");
      assertTrue(slowest < 2_000_000_000L, "one damaged file took " + slowest / 1_000_000 + " ms");
    });
  }

  @Test
  void hostileLengthsAndCounts() throws Exception {
    long footer = ByteBuffer.wrap(good, good.length - 24, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    long[][] edits = {
        // {absolute offset, value, width}: frame lengths, footer offset, counts, with checksums fixed where possible
        {good.length - 24, Long.MAX_VALUE, 8},
        {good.length - 24, footer - 64, 8},
        {good.length - 24, 64, 8},
        {good.length - 24, -64, 8},
        {footer + 64, -1, 8},
        {footer + 64 + 8, 0x7FFF_FFFF, 4},
        {footer + 64 + 8, -1, 4},
        {footer + 64 + 12, 1L << 40, 8},
        {64 + 64, 0x7FFF_FFFF, 4},
    };
    for (long[] e : edits) {
      byte[] b = good.clone();
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      if (e[2] == 8) {
        bb.putLong((int) e[0], e[1]);
      } else {
        bb.putInt((int) e[0], (int) e[1]);
      }
      fixChecksums(bb, footer);
      assertEquals(Outcome.REFUSED, readBoth(b), "edit at " + e[0]);
    }
  }

  @Test
  void unknownMajorVersionIsNamed() throws Exception {
    byte[] b = good.clone();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    bb.putShort(8, (short) 7);
    bb.putInt(60, FileLayout.crc(bb, 0, 60));
    Files.write(damaged, b);
    try (LzqFile f = LzqFile.open(damaged)) {
      fail("opened a version 7 file");
    } catch (LazyQFormatException e) {
      assertTrue(e.getMessage().contains("major version 7"), e.getMessage());
      assertEquals(8, e.offset());
      assertEquals(damaged.toString(), e.source());
    }
  }

  /**
   * A zstd frame in a column chunk that declares more or fewer bytes than the chunk's descriptor,
   * or has a damaged block, every checksum recomputed: refused by both readers, the mapped one
   * naming the file, the frame's offset and what is wrong.
   */
  @Test
  void damagedZstdFramesInAFile() throws Exception {
    long frameAt;
    try (LzqFile f = LzqFile.open(dir.resolve("good.lzq"))) {
      ChunkDescriptor c = f.index().chunk(0);
      ColumnChunk clock = c.column(f.schema().indexOf("clock"));
      frameAt = c.payloadOffset() + clock.offset() + clock.values().offset();
      assertEquals(64, clock.values().decodedLength());
    }
    int fcs = contentSizeField((int) frameAt);
    assertEquals(64, good[fcs] & 0xFF, "a one-byte content size field");
    String[][] edits = {{"72", "declares 72 decoded bytes, the chunk 64"}, {"56", "corrupt zstd data"}};
    for (String[] e : edits) {
      byte[] b = good.clone();
      b[fcs] = (byte) Integer.parseInt(e[0]);
      refusedAt(io.lazyq.testing.Reseal.of(b), frameAt, e[1]);
    }
    byte[] reserved = good.clone();
    reserved[fcs + 1] |= 0b110; // the first block's type: 3, reserved
    refusedAt(io.lazyq.testing.Reseal.of(reserved), frameAt, "corrupt zstd data");
  }

  /**
   * Hostile frames given to the decoder from heap and direct buffers: each refused with the source,
   * the offset and what is wrong, and a frame declaring a huge size without allocating for it.
   */
  @Test
  void hostileZstdFrames() throws Exception {
    byte[] values = new byte[5000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (byte) (i * 7 % 13);
    }
    byte[] frame = com.github.luben.zstd.Zstd.compress(values, LosslessStage.LEVEL);
    refused(frame, 5008, "zstd data decodes to 5000 bytes, 5008 declared");
    refused(frame, 4992, "declares 5000 decoded bytes, the chunk 4992");
    for (int cut = 1; cut < frame.length; cut++) {
      refused(java.util.Arrays.copyOf(frame, cut), 5000, "zstd data");
    }
    byte[] reserved = frame.clone();
    reserved[contentSizeField(frame, 0) + 2] |= 0b110;
    refused(reserved, 5000, "corrupt zstd data");
    byte[] trailing = java.util.Arrays.copyOf(frame, frame.length + 3);
    refused(trailing, 5000, "corrupt zstd data");

    // magic, single segment with an 8-byte content size of 2^29, one RLE block of 100 bytes
    int block = 100 << 3 | 1 << 1 | 1; // 3 bytes: size, type (1, RLE), last
    ByteBuffer huge = ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN).putInt(0xFD2FB528).put((byte) 0xE0)
        .putLong(1L << 29).put((byte) block).put((byte) (block >> 8)).put((byte) (block >> 16)).put((byte) 42);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    refused(huge.array(), 1L << 29, "a zstd frame of 17 bytes declares 536870912 decoded bytes, more than a frame of its size can hold");
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertTrue(allocated < 1 << 20, "refusing a frame declaring 2^29 bytes allocated " + allocated);
    refused(huge.array(), 100, "declares 536870912 decoded bytes, the chunk 100");
    huge.putLong(5, 100);
    byte[] hundred = new byte[100];
    java.util.Arrays.fill(hundred, (byte) 42);
    assertEquals(ByteBuffer.wrap(hundred), LosslessStage.decompress(ByteBuffer.wrap(huge.array()), 100, "t", 0),
        "the same frame, declaring its true size, decodes");

    // Two frames, which the writer never makes, decode through the growing array as before.
    byte[] two = java.util.Arrays.copyOf(frame, 2 * frame.length);
    System.arraycopy(frame, 0, two, frame.length, frame.length);
    ByteBuffer twice = LosslessStage.decompress(ByteBuffer.wrap(two), 10_000, "t", 0);
    assertEquals(ByteBuffer.wrap(values), twice.duplicate().limit(5000));
    assertEquals(ByteBuffer.wrap(values), twice.duplicate().position(5000));
    refused(two, 10_008, "zstd data decodes to 10000 bytes, 10008 declared");
    refused(two, 9_992, "zstd data decodes to more than the 9992 bytes declared");
  }

  /** Where a zstd frame at {@code at} of the good file keeps its content size. */
  private int contentSizeField(int at) {
    return contentSizeField(good, at);
  }

  private static int contentSizeField(byte[] b, int at) {
    int descriptor = b[at + 4] & 0xFF;
    boolean singleSegment = (descriptor & 0x20) != 0;
    int dictionary = new int[] {0, 1, 2, 4}[descriptor & 3];
    return at + 5 + (singleSegment ? 0 : 1) + dictionary;
  }

  private static void refused(byte[] frame, long decoded, String what) {
    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 1).position(1).put(frame).position(1).slice();
    for (ByteBuffer packed : List.of(ByteBuffer.wrap(frame), direct)) {
      try {
        LosslessStage.decompress(packed, decoded, 4, "hostile.lzq", 4242);
        fail("decoded a hostile frame to " + decoded + " bytes: " + what);
      } catch (LazyQFormatException e) {
        assertEquals("hostile.lzq", e.source());
        assertEquals(4242, e.offset());
        assertTrue(e.getMessage().contains(what), e.getMessage() + " does not say " + what);
      }
    }
  }

  /** Both readers refuse {@code bytes}; the mapped one names the file, {@code offset} and {@code what}. */
  private void refusedAt(byte[] bytes, long offset, String what) throws Exception {
    assertEquals(Outcome.REFUSED, readBoth(bytes));
    try (LzqFile f = LzqFile.open(damaged); ColumnView v = f.column(0, f.schema().indexOf("clock"))) {
      fail("read a damaged frame as " + v.getLong(0));
    } catch (LazyQFormatException e) {
      assertEquals(damaged.toString(), e.source());
      assertEquals(offset, e.offset(), e.getMessage());
      assertTrue(e.getMessage().contains(what), e.getMessage() + " does not say " + what);
    }
  }

  /** Recomputes header, frame-header, payload and trailer checksums so that only structure checks can object. */
  private static void fixChecksums(ByteBuffer bb, long footer) {
    int trailer = bb.capacity() - 24;
    bb.putInt(trailer + 8, FileLayout.crc(bb, trailer, trailer + 8));
    int f = (int) footer;
    long len = bb.getLong(f + 8);
    if (len >= 0 && f + 64 + len <= trailer) {
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(bb.duplicate().position(f + 64).limit((int) (f + 64 + len)));
      bb.putInt(f + 16, (int) crc.getValue());
    }
    bb.putInt(f + 60, FileLayout.crc(bb, f, f + 60));
    bb.putInt(64 + 60, FileLayout.crc(bb, 64, 64 + 60));
  }

  enum Outcome { READ, REFUSED }

  /** Reads everything through both readers; anything but LazyQFormatException fails the test. */
  private Outcome readBoth(byte[] bytes) throws Exception {
    // A fresh file each time: truncating a file that old mappings still cover costs the kernel dearly.
    Files.deleteIfExists(damaged);
    damaged = dir.resolve("damaged-" + (++written) + ".lzq");
    Files.write(damaged, bytes);
    Outcome mapped = bounded(bytes.length, () -> readMapped());
    Outcome streamed = bounded(bytes.length, () -> readStream(bytes));
    if (mapped != streamed && !(mapped == Outcome.READ && streamed == Outcome.REFUSED)) {
      fail("the readers disagree: mapped " + mapped + ", streamed " + streamed);
    }
    return mapped == Outcome.READ && streamed == Outcome.READ ? Outcome.READ : Outcome.REFUSED;
  }

  private Outcome readMapped() throws Exception {
    try (LzqFile f = LzqFile.open(damaged)) {
      for (int chunk = 0; chunk < f.index().size(); chunk++) {
        for (int c = 0; c < f.schema().size(); c++) {
          try (ColumnView v = f.column(chunk, c)) {
            for (int r = 0; r < v.rows(); r++) {
              v.getObject(r);
            }
          }
        }
      }
      return Outcome.READ;
    } catch (LazyQFormatException e) {
      checkNamed(e);
      return Outcome.REFUSED;
    }
  }

  private Outcome readStream(byte[] bytes) throws Exception {
    try (LzqStream s = LzqStream.open(new ByteArrayInputStream(bytes), "<damaged>", StreamOptions.DEFAULTS)) {
      while (s.next()) {
        for (int c = 0; c < s.schema().size(); c++) {
          ColumnView v = s.column(c);
          for (int r = 0; r < v.rows(); r++) {
            v.getObject(r);
          }
        }
      }
      return Outcome.READ;
    } catch (LazyQFormatException e) {
      checkNamed(e);
      return Outcome.REFUSED;
    }
  }

  private static void checkNamed(LazyQFormatException e) {
    assertTrue(e.source() != null, "the error names its source: " + e.getMessage());
    assertTrue(e.offset() >= 0, "the error names an offset: " + e.getMessage());
  }

  interface Read {
    Outcome run() throws Exception;
  }

  /** Runs a read and checks that it allocated at most a small multiple of the file's size. */
  private static Outcome bounded(long fileSize, Read read) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    Outcome o = read.run();
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    long limit = 64 * fileSize + (4L << 20);
    assertTrue(allocated < limit, "reading a " + fileSize + "-byte file allocated " + allocated + " bytes");
    return o;
  }
}
