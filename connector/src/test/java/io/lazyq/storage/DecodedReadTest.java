package io.lazyq.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.Closeables;
import io.lazyq.LazyQFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local file's decoded ranges ({@link LocalInputFile.Reader#fetchDecoded}) on real files, each
 * through a pool of its own: spans stay within their limit, a span the pool refuses is mapped, and
 * a read that fails partway gives every buffer back.
 */
class DecodedReadTest {
  private static final int MIB = 1 << 20;

  @TempDir
  Path dir;

  /** A file of {@code bytes} whose every byte is {@link #at} its offset. */
  private Path file(long bytes) throws IOException {
    Path p = dir.resolve("ranges.bin");
    try (FileChannel c = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(MIB);
      for (long at = 0; at < bytes; at += b.capacity()) {
        b.clear().limit((int) Math.min(b.capacity(), bytes - at));
        for (int i = 0; i < b.limit(); i++) {
          b.put(i, at(at + i));
        }
        c.write(b, at);
      }
    }
    return p;
  }

  private static byte at(long offset) {
    return (byte) (offset * 31 + (offset >>> 11));
  }

  private static LocalInputFile.Reader reader(Path p, BufferPool pool) throws IOException {
    return new LocalInputFile.Reader(FileChannel.open(p, StandardOpenOption.READ), p.toString(), pool);
  }

  /** Every byte of each region is the file's at its offset. */
  private static void assertBytes(List<ByteRange> ranges, List<Region> regions) {
    assertEquals(ranges.size(), regions.size());
    for (int k = 0; k < ranges.size(); k++) {
      ByteBuffer b = regions.get(k).buffer();
      assertEquals(ranges.get(k).length(), b.remaining(), "range " + k);
      for (int i = 0; i < b.remaining(); i++) {
        if (b.get(i) != at(ranges.get(k).offset() + i)) {
          assertEquals(at(ranges.get(k).offset() + i), b.get(i), "range " + k + ", byte " + i);
        }
      }
    }
  }

  @Test
  void neighboursMergeOnlyUpToTheSpanLimit() throws IOException {
    int column = 6 * MIB;
    Path p = file(10L * column + 4096);
    List<ByteRange> ranges = new ArrayList<>();
    for (int k = 9; k >= 0; k--) {
      ranges.add(new ByteRange(k * (long) column + (k % 2) * 1000, column - 2000)); // gaps under a page
    }
    BufferPool pool = new BufferPool(256L * MIB);
    try (LocalInputFile.Reader r = reader(p, pool)) {
      List<Region> regions = r.fetchDecoded(ranges);
      try {
        assertBytes(ranges, regions);
        // Two 6 MiB columns make a span; a third would pass 16 MiB.
        assertEquals(5, r.stats().mappings());
        assertEquals(5, pool.outstanding());
        assertTrue(2L * column <= LocalInputFile.Reader.DECODED_SPAN_BYTES && 3L * column > LocalInputFile.Reader.DECODED_SPAN_BYTES);
      } finally {
        Closeables.closeAll(regions);
      }
      assertEquals(0, pool.outstanding());
      assertEquals(0, r.stats().liveMappings());
    }
  }

  @Test
  void aSpanOverThePoolsLimitIsMapped() throws IOException {
    Path p = file(4 * MIB);
    BufferPool pool = new BufferPool(MIB);
    List<ByteRange> ranges = List.of(new ByteRange(100, 2 * MIB), new ByteRange(3 * MIB, 100_000));
    try (LocalInputFile.Reader r = reader(p, pool)) {
      List<Region> regions = r.fetchDecoded(ranges);
      try {
        assertBytes(ranges, regions);
        assertEquals(1, pool.outstanding(), "the small range pooled, the large one mapped");
        assertEquals(1, pool.allocated());
        assertEquals(2, r.stats().liveMappings());
      } finally {
        Closeables.closeAll(regions);
      }
      assertEquals(0, pool.outstanding());
      assertEquals(0, r.stats().liveMappings());
    }
  }

  @Test
  void aReadThatFailsPartwayGivesEveryBufferBack() throws IOException {
    Path p = file(MIB);
    BufferPool pool = new BufferPool(256L * MIB);
    List<ByteRange> ranges = List.of(new ByteRange(900 << 10, 200 << 10), new ByteRange(0, 100 << 10),
        new ByteRange(300 << 10, 100 << 10));
    try (LocalInputFile.Reader r = reader(p, pool)) {
      LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> r.fetchDecoded(ranges));
      assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("unexpected end of file"), e.getMessage());
      assertEquals(0, pool.outstanding());
      assertEquals(3, pool.allocated(), "each range had its buffer, the one past the end too");
      assertEquals(0, r.stats().liveMappings());
    }
  }
}
