package io.lazyq.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The ggml-written fixtures and their manifest. */
public final class Fixtures {
  private Fixtures() {}

  public static Path ggml() {
    String dir = System.getProperty("lazyq.fixtures", "/work/shared/fixtures");
    return Path.of(dir, "ggml");
  }

  /** One row of MANIFEST.tsv. */
  public record Row(String file, String tensor, String type, int typeId, long[] ne, long bytes,
      long offset) {

    /** The file with the raw bytes of this tensor. */
    public Path rawBytes() {
      String source = file.equals("mixed.gguf") ? "blk.0.attn_q.weight" : tensor;
      return ggml().resolve(type).resolve(source + ".q.bin");
    }
  }

  public static List<Row> manifest() throws IOException {
    List<Row> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(ggml().resolve("MANIFEST.tsv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      long[] ne = Arrays.stream(f[4].split(",")).mapToLong(Long::parseLong).toArray();
      rows.add(new Row(f[0], f[1], f[2], Integer.parseInt(f[3]), ne, Long.parseLong(f[5]),
          Long.parseLong(f[6])));
    }
    return rows;
  }

  public static List<Path> ggufFiles() throws IOException {
    return manifest().stream().map(Row::file).distinct().map(ggml()::resolve).toList();
  }

  /** {@code shape} reversed into ggml's {@code ne}, padded with 1s to 4 dimensions. */
  public static long[] ne4(long[] shape) {
    long[] ne = {1, 1, 1, 1};
    long[] r = Shapes.reversed(shape);
    System.arraycopy(r, 0, ne, 0, r.length);
    return ne;
  }

  public static byte[] bytes(java.nio.ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
