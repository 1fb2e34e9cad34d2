package io.lazyq.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import io.lazyq.tensor.Fixtures;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensorfiles.TensorFiles;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile GGUF headers: each fails fast with the file and offset named. */
class GgufHostileTest {
  @TempDir Path dir;

  private LazyQFormatException refused(GgufBytes bytes, long offset, String problem) throws Exception {
    Path p = dir.resolve("hostile.gguf");
    Files.write(p, bytes.bytes());
    LazyQFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> assertThrows(LazyQFormatException.class, () -> TensorFiles.open(p).close()));
    assertEquals(p.toString(), e.source());
    assertTrue(e.problem().contains(problem), e.getMessage());
    if (offset >= 0) {
      assertEquals(offset, e.offset(), e.getMessage());
    }
    return e;
  }

  @Test
  void hugeStringLength() throws Exception {
    GgufBytes b = new GgufBytes().header(3, 0, 1);
    b.b.putLong(1L << 62);
    refused(b.zeros(64), 24, "exceeds");
  }

  @Test
  void stringLongerThanTheFile() throws Exception {
    GgufBytes b = new GgufBytes().header(3, 0, 1);
    b.b.putLong(1000).put("abc".getBytes(StandardCharsets.US_ASCII));
    b.zeros(64);
    refused(b, 24, "runs past the end of the file");
  }

  @Test
  void hugeTensorCount() throws Exception {
    refused(new GgufBytes().header(3, 1L << 62, 0).zeros(100), 8, "tensor count");
  }

  @Test
  void aMillionKeysInOneKilobyte() throws Exception {
    refused(new GgufBytes().header(3, 0, 1_000_000).zeros(1000), 16, "metadata key count");
  }

  @Test
  void hugeArray() throws Exception {
    GgufBytes b = new GgufBytes().header(3, 0, 1).str("k");
    b.b.putInt(9).putInt(5).putLong(1L << 40);
    refused(b, 24 + 9 + 8, "exceeds 2^30");
    GgufBytes c = new GgufBytes().header(3, 0, 1).str("k");
    c.b.putInt(9).putInt(5).putLong(1 << 20);
    refused(c, 24 + 9 + 8, "cannot fit");
  }

  @Test
  void nestedArray() throws Exception {
    GgufBytes b = new GgufBytes().header(3, 0, 1).str("k");
    b.b.putInt(9).putInt(9).putLong(1);
    refused(b, 24 + 9 + 4, "array of arrays");
  }

  @Test
  void badAlignment() throws Exception {
    GgufBytes b = new GgufBytes().header(3, 0, 1).str("general.alignment");
    b.b.putInt(4).putInt(48);
    refused(b, 24 + 25, "not a power of two");
    GgufBytes c = new GgufBytes().header(3, 0, 1).str("general.alignment");
    c.b.putInt(5).putInt(32);
    refused(c, 24 + 25, "must be a uint32");
  }

  @Test
  void versions() throws Exception {
    refused(new GgufBytes().header(0x03000000, 0, 0), 4, "big-endian");
    refused(new GgufBytes().header(1, 0, 0), 4, "version 1 is not supported");
    refused(new GgufBytes().header(4, 0, 0), 4, "GGUF version 4 is newer");
  }

  @Test
  void tensorProblems() throws Exception {
    long at = 24;
    refused(new GgufBytes().header(3, 1, 0).tensor("t".repeat(64), new long[] {32}, 0, 0), at,
        "tensor name length 64 exceeds 63");
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {1, 1, 1, 1, 1}, 0, 0), at + 9,
        "5 dimensions");
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {1L << 32, 1L << 32, 4}, 0, 0),
        at + 9, "overflows int64");
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {-1}, 0, 0), at + 13,
        "negative dimension");
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {4}, 99, 0), at + 21,
        "unknown ggml type id 99");
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {33}, 8, 0), at + 21,
        "not a multiple of the block size");
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {4}, 0, 16), at + 25,
        "not a multiple of the alignment");
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {1024}, 0, 0).zeros(64), at + 25,
        "runs past the end of the file");
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {4}, 0, Long.MAX_VALUE & -32),
        at + 25, "runs past the end of the file");
    refused(new GgufBytes().header(3, 2, 0).tensor("a", new long[] {16}, 0, 0)
        .tensor("b", new long[] {8}, 0, 32).zeros(200), -1, "overlaps tensor 'a'");
    refused(new GgufBytes().header(3, 2, 0).tensor("a", new long[] {8}, 0, 0)
        .tensor("a", new long[] {8}, 0, 32).zeros(200), -1, "duplicate tensor name");
  }

  /** A zero dimension makes a tensor empty, but must not hide dims whose row count overflows. */
  @Test
  void zeroDimensionBesideAnOverflow() throws Exception {
    refused(new GgufBytes().header(3, 1, 0).tensor("t", new long[] {0, 1L << 40, 1L << 40}, 0, 0).zeros(64), 24 + 9,
        "overflows int64");
  }

  /** An empty tensor whose rows would be longer than an array has a view of no rows. */
  @Test
  void emptyTensorWithRowsLongerThanAnArray() throws Exception {
    GgufBytes longRows = new GgufBytes().header(3, 1, 0).tensor("t", new long[] {1L << 37, 0}, 0, 0).zeros(64);
    Path p = dir.resolve("empty.gguf");
    Files.write(p, longRows.bytes());
    try (GgufFile f = GgufFile.open(p)) {
      io.lazyq.tensor.TensorView view = f.view(f.require("t"));
      assertEquals(0, view.rows());
      assertEquals(0, view.toFloatArray().length);
    }
  }

  @Test
  void notAGgufOrSafetensorsFile() throws Exception {
    Path p = dir.resolve("model.gguf");
    Files.writeString(p, "hello, this is text");
    LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> TensorFiles.open(p));
    assertTrue(e.getMessage().contains("not a GGUF or Safetensors file"));
  }

  /** A fixture cut at every byte: every prefix is refused as malformed, and only so. */
  @Test
  void truncatedAtEveryOffset() throws Exception {
    Path src = Fixtures.ggml().resolve("q2_K.gguf");
    Path p = dir.resolve("cut.bin");
    Files.copy(src, p);
    long size = Files.size(src);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      for (long n = size - 1; n >= 0; n--) {
        ch.truncate(n);
        long cut = n;
        LazyQFormatException e = assertThrows(LazyQFormatException.class,
            () -> TensorFiles.open(p).close(), () -> "cut at " + cut);
        assertTrue(e.offset() >= 0 && e.offset() <= size, e.getMessage());
      }
    }
  }
}
