package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.SampleTables;
import io.lazyq.spark.StorageServers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

public class CliTest {
  @TempDir Path dir;

  /** A command's exit code and what it printed. */
  public record Run(int exit, String out, String err) {}

  public static Run run(String... args) {
    return runWithStdin(null, args);
  }

  static synchronized Run runWithStdin(byte[] stdin, String... args) {
    CommandLine cli = LazyQ.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    InputStream saved = System.in;
    try {
      if (stdin != null) {
        System.setIn(new ByteArrayInputStream(stdin));
      }
      int exit = cli.execute(args);
      return new Run(exit, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  /** A file on a local disk, HDFS or S3 (through S3A, its settings given as {@code --conf}). */
  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void catOfAFileEqualsCatOfItsStream(String kind) throws Exception {
    Path file = Files.createDirectories(dir.resolve("cat")).resolve("t.lzq");
    SampleTables.write(file, SampleTables.allTypes(), SampleTables.allTypesRows(3000, 5), 700);
    StorageServers.Target target = StorageServers.target(kind, dir);
    String location = StorageServers.copyOf(file.getParent(), target) + "/t.lzq";
    List<String> conf = new ArrayList<>();
    target.hadoop().forEach((k, v) -> conf.addAll(List.of("--conf", k + "=" + v)));
    for (String format : List.of("csv", "jsonl")) {
      List<String> args = new ArrayList<>(List.of("cat", location, "--format", format));
      args.addAll(conf);
      Run fromFile = run(args.toArray(new String[0]));
      Run fromStdin = runWithStdin(Files.readAllBytes(file), "cat", "-", "--format", format);
      assertEquals(0, fromFile.exit(), fromFile.err());
      assertEquals(0, fromStdin.exit(), fromStdin.err());
      assertEquals(fromFile.out(), fromStdin.out());
      assertEquals(format.equals("csv") ? 3001 : 3000, fromFile.out().lines().count());
    }
    List<String> some5 = new ArrayList<>(List.of("cat", location, "--columns", "name,i32", "--limit", "5"));
    some5.addAll(conf);
    Run some = run(some5.toArray(new String[0]));
    assertEquals(6, some.out().lines().count());
    assertTrue(some.out().startsWith("name,i32\n"), some.out());
  }

  @Test
  void convertThenCatReproducesTheCsvValues() throws Exception {
    Random r = new Random(11);
    StringBuilder csv = new StringBuilder("ts,sensor,reading,count,ok,note\n");
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      String[] row = {
          java.time.Instant.ofEpochSecond(1_767_225_600L + i, i * 1000L).toString(),
          "s-" + (i % 7),
          Double.toString(r.nextGaussian() * 1000),
          Long.toString(r.nextLong()),
          Boolean.toString(r.nextBoolean()),
          i % 11 == 0 ? "" : i % 13 == 0 ? null : "note, with \"quotes\" " + i};
      rows.add(row);
      csv.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append(',').append(row[3]).append(',')
          .append(row[4]).append(',').append(row[5] == null ? "" : "\"" + row[5].replace("\"", "\"\"") + "\"").append('\n');
    }
    Path in = dir.resolve("in.csv");
    Files.writeString(in, csv, StandardCharsets.UTF_8);
    Path out = dir.resolve("out.lzq");
    Run convert = run("convert", in.toString(), out.toString(), "--chunk-rows", "1000");
    assertEquals(0, convert.exit(), convert.err());

    Run inspect = run("inspect", out.toString(), "--json");
    assertTrue(inspect.out().contains("\"type\" : \"timestamp\""), inspect.out());
    assertTrue(inspect.out().contains("\"type\" : \"float64\""), inspect.out());
    assertTrue(inspect.out().contains("\"chunks\" : 3"), inspect.out());
    // --lossless lightweight, and --blocks: per block-encoded column, its three chunks' schemes, each
    // chunk of 1000 rows one block, none of them zstd or a stream; the same values as the default's.
    Path light = dir.resolve("light.lzq");
    Run lightweight = run("convert", in.toString(), light.toString(), "--chunk-rows", "1000", "--lossless", "lightweight");
    assertEquals(0, lightweight.exit(), lightweight.err());
    Run blocks = run("inspect", light.toString(), "--blocks");
    assertEquals(0, blocks.exit(), blocks.err());
    String schemes = blocks.out().substring(blocks.out().indexOf("block schemes"));
    List<String> lines = schemes.lines().skip(1).filter(l -> !l.isBlank()).toList();
    assertTrue(schemes.contains("\n  ts "), blocks.out());
    for (String line : lines) {
      String[] chunks = line.trim().split("\\s+", 2)[1].split("; ");
      assertEquals(3, chunks.length, line);
      for (String chunk : chunks) {
        assertTrue(chunk.matches("[a-z/]+=1") && !chunk.contains("zstd") && !chunk.contains("stream"), line);
      }
    }
    assertEquals(run("cat", out.toString(), "--format", "csv").out(), run("cat", light.toString(), "--format", "csv").out());

    Run cat = run("cat", out.toString(), "--format", "csv");
    List<String[]> back = new com.univocity.parsers.csv.CsvParser(csvSettings()).parseAll(new java.io.StringReader(cat.out()));
    assertEquals(rows.size() + 1, back.size());
    for (int i = 0; i < rows.size(); i++) {
      String[] e = rows.get(i);
      String[] a = back.get(i + 1);
      assertEquals(java.time.Instant.parse(e[0]), java.time.Instant.parse(a[0]), "ts of row " + i);
      assertEquals(e[1], a[1]);
      assertEquals(Double.parseDouble(e[2]), Double.parseDouble(a[2]), 0.0, "reading of row " + i);
      assertEquals(Long.parseLong(e[3]), Long.parseLong(a[3]));
      assertEquals(e[4], a[4]);
      assertEquals(e[5], a[5], "note of row " + i);
    }
  }

  @Test
  void exitCodes() throws Exception {
    Path bad = dir.resolve("bad.lzq");
    Files.write(bad, new byte[200]);
    Run corrupt = run("inspect", bad.toString());
    assertEquals(LazyQ.BAD_INPUT, corrupt.exit());
    assertEquals(1, corrupt.err().lines().count(), corrupt.err());
    assertTrue(corrupt.err().contains(bad.toString()) && corrupt.err().contains("offset"), corrupt.err());

    assertEquals(LazyQ.USAGE, run("cat").exit(), "missing FILE");
    assertEquals(LazyQ.USAGE, run("inspect", "--no-such-option", bad.toString()).exit());
    assertEquals(LazyQ.USAGE, run("convert", "a.csv", "b.lzq", "--quantize", "x=q9_9").exit());
    assertEquals(LazyQ.FAILURE, run("inspect", dir.resolve("missing.lzq").toString()).exit());
    for (String sub : List.of("inspect", "cat", "convert", "generate", "tensor", "quantize")) {
      Run help = run(sub, "--help");
      assertEquals(0, help.exit(), sub);
      assertTrue(help.out().contains("Usage: lazyq " + sub), help.out());
    }
  }

  @Test
  void generateIsDeterministic() throws Exception {
    Path a = dir.resolve("a.lzq");
    Path b = dir.resolve("b.lzq");
    assertEquals(0, run("generate", "sensors", "--out", a.toString(), "--rows", "5000", "--seed", "3", "--error-bound", "0.01").exit());
    assertEquals(0, run("generate", "sensors", "--out", b.toString(), "--rows", "5000", "--seed", "3", "--error-bound", "0.01").exit());
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)));
    assertTrue(run("inspect", a.toString()).out().contains("error_bounded (±0.01)"));
  }

  @Test
  void quantizingAnLzqFileByStreamingEqualsWritingItQuantized() throws Exception {
    Path plain = dir.resolve("plain.lzq");
    Path direct = dir.resolve("direct.lzq");
    Path streamed = dir.resolve("streamed.lzq");
    String[] common = {"--rows", "70000", "--chunk-rows", "20000", "--seed", "9"};
    assertEquals(0, run(concat(new String[] {"generate", "sensors", "--out", plain.toString()}, common)).exit());
    assertEquals(0, run(concat(new String[] {"generate", "sensors", "--out", direct.toString(), "--error-bound", "0.005"}, common)).exit());
    Run plan = run("quantize", plain.toString(), streamed.toString(), "--error-bound", "0.005", "--plan");
    assertEquals(0, plan.exit(), plan.err());
    assertTrue(Files.notExists(streamed), "--plan writes nothing");
    long planned = Long.parseLong(plan.out().replaceAll("(?s).*at most ([0-9,]+) bytes.*", "$1").replace(",", ""));
    Run q = run("quantize", plain.toString(), streamed.toString(), "--error-bound", "0.005");
    assertEquals(0, q.exit(), q.err());
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(direct), Files.readAllBytes(streamed)),
        "the streamed quantization is byte-identical to writing the data quantized");
    assertTrue(Files.size(streamed) <= planned, Files.size(streamed) + " > planned " + planned);
    assertEquals(LazyQ.USAGE, run("quantize", plain.toString(), streamed.toString()).exit());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static com.univocity.parsers.csv.CsvParserSettings csvSettings() {
    var s = new com.univocity.parsers.csv.CsvParserSettings();
    s.setNullValue(null);
    s.setEmptyValue("");
    s.setMaxCharsPerColumn(-1);
    return s;
  }
}
