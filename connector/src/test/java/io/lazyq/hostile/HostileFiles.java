package io.lazyq.hostile;

import io.lazyq.gguf.GgufBytes;

import io.lazyq.format.SampleTables;
import io.lazyq.gguf.GgufFile;
import io.lazyq.testing.Reseal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the hand-made hostile files under {@code src/test/resources/hostile/}, and their index,
 * {@code INDEX.tsv}: file, reader, what it attacks. Each {@code .lzq} attack is resealed
 * ({@link Reseal}), so that it gets past the checksums to the structure it attacks.
 *
 * <pre>
 *   java -cp ... io.lazyq.hostile.HostileFiles connector/src/test/resources/hostile
 * </pre>
 */
public final class HostileFiles {
  private final Map<String, String[]> index = new LinkedHashMap<>();
  private final Path dir;

  private HostileFiles(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws IOException {
    HostileFiles h = new HostileFiles(Path.of(args[0]));
    Files.createDirectories(h.dir);
    h.gguf();
    h.safetensors();
    h.lzq();
    StringBuilder tsv = new StringBuilder("file\treader\tattack\n");
    h.index.forEach((file, v) -> tsv.append(file).append('\t').append(v[0]).append('\t').append(v[1]).append('\n'));
    Files.writeString(h.dir.resolve("INDEX.tsv"), tsv);
  }

  private void put(String name, String reader, String attack, byte[] bytes) throws IOException {
    Files.write(dir.resolve(name), bytes);
    index.put(name, new String[] {reader, attack});
  }

  private void gguf() throws IOException {
    put("gguf-tensor-count-2e62.gguf", "gguf", "a tensor count of 2^62 in a 88-byte file",
        new GgufBytes().header(3, 1L << 62, 0).zeros(64).bytes());
    GgufBytes longString = new GgufBytes().header(3, 0, 1);
    longString.b.putLong(1L << 62);
    put("gguf-string-length-2e62.gguf", "gguf", "a metadata key whose length is 2^62",
        longString.zeros(64).bytes());
    GgufBytes keys = new GgufBytes().header(3, 0, 1_000_000);
    while (keys.b.position() + 14 <= 1024) {
      keys.str("k" + (char) ('a' + keys.b.position() % 26)).b.putInt(0).put((byte) 1);
    }
    put("gguf-million-keys-1kb.gguf", "gguf", "10^6 metadata keys declared in a 1 KB file", keys.bytes());
    put("gguf-offset-past-end.gguf", "gguf", "a tensor whose data offset lies past the end of the file",
        new GgufBytes().header(3, 1, 0).tensor("t", new long[] {8}, 0, 1L << 40).zeros(64).bytes());
    put("gguf-overlapping-tensors.gguf", "gguf", "two tensors whose data overlap",
        new GgufBytes().header(3, 2, 0).tensor("a", new long[] {16}, 0, 0).tensor("b", new long[] {8}, 0, 32).zeros(200)
            .bytes());
    put("gguf-dims-overflow.gguf", "gguf", "dims 2^32 x 2^32 x 4, whose product overflows int64",
        new GgufBytes().header(3, 1, 0).tensor("t", new long[] {1L << 32, 1L << 32, 4}, 0, 0).zeros(64).bytes());
    put("gguf-zero-dim-hides-overflow.gguf", "gguf", "dims 0 x 2^40 x 2^40: empty, but the row count overflows",
        new GgufBytes().header(3, 1, 0).tensor("t", new long[] {0, 1L << 40, 1L << 40}, 0, 0).zeros(64).bytes());
  }

  private void safetensors() throws IOException {
    put("safetensors-2e40-elements.safetensors", "safetensors",
        "a header declaring a tensor of 2^40 float32 elements in a file of a few bytes",
        safetensors("{\"t\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":[0,4398046511104]}}", 8));
    put("safetensors-header-length-huge.safetensors", "safetensors",
        "a header length of 99,999,999 in a 24-byte file", lengthOnly(99_999_999L));
    byte[] utf32 = "{}".getBytes(java.nio.charset.Charset.forName("UTF-32LE"));
    put("safetensors-utf32-header.safetensors", "safetensors",
        "a UTF-32 header, on which the JSON parser guessed the encoding and threw its own exception",
        ByteBuffer.allocate(8 + utf32.length).order(ByteOrder.LITTLE_ENDIAN).putLong(utf32.length).put(utf32).array());
  }

  private static byte[] safetensors(String json, int data) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
  }

  private static byte[] lengthOnly(long n) {
    return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(n).put((byte) '{').array();
  }

  private void lzq() throws IOException {
    byte[] good = threeChunks();
    Lzq f = new Lzq(good);

    byte[] trailerSelf = good.clone();
    f.at(trailerSelf).putLong(good.length - 24, good.length - 24);
    put("lzq-trailer-points-at-itself.lzq", "lzq", "the trailer's footer offset is the trailer's own offset",
        Reseal.of(trailerSelf));

    byte[] footerSelf = good.clone();
    f.at(footerSelf).putLong(f.footerEntry(0), f.footer);
    put("lzq-footer-lists-itself.lzq", "lzq", "the footer lists its own frame as the first chunk",
        Reseal.of(footerSelf));

    byte[] cycle = good.clone();
    f.at(cycle).putLong(f.footerEntry(2), f.at(good).getLong(f.footerEntry(0)));
    put("lzq-chunk-offsets-cycle.lzq", "lzq", "chunk offsets in a cycle: the third chunk is the first again",
        Reseal.of(cycle));

    byte[] lengths = good.clone();
    long garbage = 0x0000_7FFF_FFFF_FFC0L;
    f.at(lengths).putLong(f.footerEntry(0) + 16 + 8 + 8, garbage);
    f.at(lengths).putLong((int) f.firstChunk + 64 + 8 + 8, garbage);
    put("lzq-garbage-lengths-valid-crc.lzq", "lzq",
        "a column length of 2^47 in the chunk and in the footer, every CRC recomputed over it", Reseal.of(lengths));

    byte[] frameLength = good.clone();
    f.at(frameLength).putLong((int) f.firstChunk + 8, garbage);
    f.at(frameLength).putLong(f.footerEntry(0) + 8, garbage);
    put("lzq-frame-length-garbage-valid-crc.lzq", "lzq",
        "a chunk payload length of 2^47 in its frame header and in the footer, every CRC recomputed",
        Reseal.of(frameLength));

    put("lzq-zero-length-frames.lzq", "lzq", "1000 chunk frames of zero length, then the footer",
        Reseal.of(zeroLengthFrames(f, good, 1000)));
  }

  /** A valid file of three chunks. */
  private static byte[] threeChunks() throws IOException {
    Path tmp = Files.createTempFile("hostile", ".lzq");
    try {
      SampleTables.write(tmp, io.lazyq.format.Schema.of(io.lazyq.format.Field.of("id",
          io.lazyq.format.ColumnType.INT32)), java.util.stream.IntStream.range(0, 24)
          .mapToObj(i -> new Object[] {i}).toList(), 8);
      return Files.readAllBytes(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The file's schema frame, {@code n} empty chunk frames, then its footer and trailer. */
  private static byte[] zeroLengthFrames(Lzq f, byte[] good, int n) {
    ByteBuffer out = ByteBuffer.allocate((int) f.firstChunk + 64 * n + (good.length - (int) f.footer))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(good, 0, (int) f.firstChunk);
    for (int i = 0; i < n; i++) {
      int at = out.position();
      out.putInt(at, 0x5246514C).put(at + 4, (byte) 2);
      out.position(at + 64);
    }
    int footerAt = out.position();
    out.put(good, (int) f.footer, good.length - (int) f.footer);
    out.putLong(out.limit() - 24, footerAt);
    return out.array();
  }

  /** Offsets of a valid file's parts. */
  private static final class Lzq {
    final long firstChunk;
    final long footer;

    Lzq(byte[] good) {
      ByteBuffer b = at(good);
      firstChunk = (64 + 64 + b.getLong(64 + 8) + 63) & -64L;
      footer = b.getLong(good.length - 24);
    }

    ByteBuffer at(byte[] bytes) {
      return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Where the footer's entry for chunk {@code i} starts, for a schema of one column. */
    int footerEntry(int i) {
      return (int) (footer + 64 + 12 + i * (16 + 8 + 126));
    }
  }
}
