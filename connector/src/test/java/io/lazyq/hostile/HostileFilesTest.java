package io.lazyq.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import io.lazyq.gguf.GgufFile;
import io.lazyq.safetensors.SafetensorsFile;
import io.lazyq.testing.ReadAll;
import io.lazyq.testing.ReaderContract.Outcome;
import io.lazyq.testing.ReaderContract;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hand-made hostile file in {@code hostile/INDEX.tsv} is refused by its reader, under the
 * reader contract (no other exception, bounded time and allocation); and the one too large to keep,
 * a Safetensors header of 99,999,999 bytes of nested brackets, is made here.
 */
class HostileFilesTest {
  @TempDir Path dir;

  static Path hostile() throws URISyntaxException {
    return Path.of(HostileFilesTest.class.getResource("/hostile/INDEX.tsv").toURI()).getParent();
  }

  /** file, reader, attack: one line of the index each. */
  static Stream<String[]> index() throws Exception {
    List<String> lines = Files.readAllLines(hostile().resolve("INDEX.tsv"));
    return lines.subList(1, lines.size()).stream().map(l -> l.split("\t"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("index")
  void isRefused(String file, String reader, String attack) throws Exception {
    Path p = hostile().resolve(file);
    long size = Files.size(p);
    switch (reader) {
      case "gguf" -> refused(size, () -> {
        try (GgufFile f = GgufFile.open(p)) {
          ReadAll.tensors(f);
        }
      });
      case "safetensors" -> refused(size, () -> {
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
          ReadAll.tensors(f);
        }
      });
      case "lzq" -> {
        refused(size, () -> {
          try (LzqFile f = LzqFile.open(p)) {
            ReadAll.lzq(f);
          }
        });
        refused(size, () -> {
          try (LzqStream s = LzqStream.open(Files.newInputStream(p), p.toString(), StreamOptions.DEFAULTS)) {
            ReadAll.lzq(s);
          }
        });
      }
      default -> throw new AssertionError("unknown reader " + reader + " for " + file);
    }
  }

  private static void refused(long size, ReaderContract.Read read) {
    assertEquals(Outcome.REFUSED, ReaderContract.check(size, read));
  }

  @Test
  void theIndexListsEveryFile() throws Exception {
    Set<String> listed = index().map(l -> l[0]).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(hostile())) {
      Set<String> present = files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("INDEX.tsv"))
          .collect(Collectors.toSet());
      assertEquals(present, listed);
    }
  }

  /**
   * A header of 99,999,999 bytes, nearly all '[': refused within its first bytes, reading and
   * allocating no more than for an empty file.
   */
  @Test
  void safetensorsHeaderOfNestedBracketsAtTheSizeLimit() throws Exception {
    long n = 99_999_999L;
    Path p = dir.resolve("nested.safetensors");
    try (OutputStream out = Files.newOutputStream(p)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array());
      byte[] start = "{\"t\":{\"shape\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      out.write(start);
      byte[] brackets = new byte[1 << 20];
      Arrays.fill(brackets, (byte) '[');
      for (long left = n - start.length; left > 0; left -= brackets.length) {
        out.write(brackets, 0, (int) Math.min(left, brackets.length));
      }
    }
    assertEquals(8 + n, Files.size(p));
    refused(0, () -> SafetensorsFile.open(p).close());
    LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> SafetensorsFile.open(p));
    assertTrue(e.offset() < 100, e.getMessage());
  }
}
