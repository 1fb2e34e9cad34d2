package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.cli.LazyQ;
import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ColumnChunk;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.FileLayout;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.sample.SensorDay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Damage of every kind, at every place, against what each reader says: {@code lazyq cat},
 * {@code lazyq verify}, a Spark read, and {@code count(*)} with {@code verify=true}. The table it
 * makes is the one in {@code docs/RELIABILITY.md}; run with {@code -Dlazyq.writeDocs=true} to
 * rewrite it there after a change.
 */
class DamageTableTest extends SparkTestBase {
  private static final Path DOC = Path.of("..", "docs", "RELIABILITY.md");
  private static final String BEGIN = "<!-- damage table: DamageTableTest writes it -->";
  private static final String END = "<!-- end of damage table -->";
  private static final SensorDay DAY = new SensorDay(3000, 4, 7);

  /** One damaged file and what each reader made of it. */
  private record Outcome(String damage, String cat, String verify, String spark, String verifiedCount) {}

  @Test
  void everyDamageIsReportedByVerifyWithFileAndOffset() throws Exception {
    Path clean = dir.resolve("clean.lzq");
    try (LzqWriter w = LzqWriter.create(clean, schema(), WriterOptions.DEFAULTS.withChunkRows(1000))) {
      DAY.writeRows(w, 0, DAY.rows());
      w.commit();
    }
    byte[] bytes = Files.readAllBytes(clean);
    List<ChunkDescriptor> chunks;
    Schema schema;
    try (LzqFile f = LzqFile.open(clean)) {
      chunks = f.index().chunks();
      schema = f.schema();
    }
    assertEquals(3, chunks.size());
    long schemaEnd = chunks.get(0).frameOffset();
    ChunkDescriptor c1 = chunks.get(1);
    ChunkDescriptor last = chunks.get(2);
    long footer = FileLayout.align(last.payloadOffset() + last.payloadLength());
    long trailer = bytes.length - FileLayout.TRAILER_BYTES;

    List<Object[]> cases = new ArrayList<>();
    cut(cases, "cut inside the file header", 32);
    cut(cases, "cut after the file header", FileLayout.FILE_HEADER_BYTES);
    cut(cases, "cut inside the schema frame header", FileLayout.FILE_HEADER_BYTES + 32);
    cut(cases, "cut inside the schema payload", FileLayout.FILE_HEADER_BYTES + FileLayout.FRAME_HEADER_BYTES + 16);
    cut(cases, "cut after the schema frame", schemaEnd);
    cut(cases, "cut after chunk 0", c1.frameOffset());
    cut(cases, "cut inside chunk 1's frame header", c1.frameOffset() + 32);
    cut(cases, "cut inside chunk 1's payload", c1.payloadOffset() + c1.payloadLength() / 2);
    cut(cases, "cut after chunk 1", last.frameOffset());
    cut(cases, "no footer, file not opened for append (cut after chunk 2)", footer);
    cut(cases, "cut inside the footer frame header", footer + 32);
    cut(cases, "cut inside the footer payload", footer + FileLayout.FRAME_HEADER_BYTES + 16);
    cut(cases, "cut after the footer frame (no trailer)", trailer);
    cut(cases, "cut inside the trailer", trailer + 12);
    flip(cases, "byte flipped in the file header", 20);
    flip(cases, "byte flipped in the schema payload", FileLayout.FILE_HEADER_BYTES + FileLayout.FRAME_HEADER_BYTES + 8);
    flip(cases, "byte flipped in chunk 1's frame header (its length)", c1.frameOffset() + 8);
    for (int c = 0; c < schema.size(); c++) {
      ColumnChunk col = c1.column(c);
      flip(cases, "byte flipped in chunk 1, column " + schema.field(c).name() + " (" + encoding(schema, c) + ")",
          c1.payloadOffset() + col.offset() + col.length() / 2);
    }
    flip(cases, "byte flipped in the footer payload", footer + FileLayout.FRAME_HEADER_BYTES + 20);
    flip(cases, "byte flipped in the trailer (the footer offset)", trailer);

    List<Outcome> table = new ArrayList<>();
    int n = 0;
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      UnaryOperator<byte[]> damage = (UnaryOperator<byte[]>) c[1];
      Path file = Files.createDirectories(dir.resolve("case-" + n++)).resolve("t.lzq");
      Files.write(file, damage.apply(bytes.clone()));
      Outcome o = outcome((String) c[0], file);
      table.add(o);
      assertTrue(o.verify().startsWith("3: FILE: damaged at offset "), o.toString());
      assertTrue(o.verifiedCount().startsWith("fails: "), o.toString());
      List<String> lines = verify(file).lines().toList();
      for (String line : lines.subList(0, lines.size() - 1)) {
        assertTrue(line.startsWith(file + ": damaged at offset "), line);
      }
    }
    Outcome cutShort = table.stream().filter(o -> o.damage().startsWith("no footer")).findFirst().orElseThrow();
    assertTrue(cutShort.spark().contains("damaged or cut short"), cutShort.spark());

    Path growing = Files.createDirectories(dir.resolve("growing")).resolve("t.lzq");
    try (LzqWriter w = LzqWriter.appendable(growing, schema(), WriterOptions.DEFAULTS.withChunkRows(1000))) {
      DAY.writeRows(w, 0, 2000);
      w.flushChunk();
      Outcome o = outcome("no footer, file opened for append (its writer at work)", growing);
      table.add(o);
      assertTrue(o.verify().startsWith("0: FILE: intact") && o.verify().contains("still being written"), o.verify());
      assertTrue(o.spark().contains("still being written") && o.spark().contains("spark.readStream"), o.spark());
      assertTrue(o.cat().startsWith("3: ") && o.cat().contains("still being written"), o.cat());
    }

    String markdown = markdown(table);
    String doc = Files.readString(DOC);
    int from = doc.indexOf(BEGIN);
    int to = doc.indexOf(END);
    assertTrue(from >= 0 && to > from, DOC + " lacks the damage table's markers");
    String updated = doc.substring(0, from + BEGIN.length()) + "\n" + markdown + doc.substring(to);
    if (Boolean.getBoolean("lazyq.writeDocs")) {
      Files.writeString(DOC, updated);
      doc = updated;
    }
    assertEquals(updated, doc, "the damage table in " + DOC + " is out of date: run with -Dlazyq.writeDocs=true");
  }

  private static Schema schema() {
    return EncodingSpec.parse("temperature=affine8", "pressure=0.01").applyTo(SensorDay.schema());
  }

  private static String encoding(Schema schema, int column) {
    var e = schema.field(column).encoding();
    return e.isQuantized() ? e.quant().label() : "plain " + schema.field(column).type();
  }

  private static void cut(List<Object[]> cases, String label, long at) {
    cases.add(new Object[] {label + " (at " + at + ")", (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, (int) at)});
  }

  private static void flip(List<Object[]> cases, String label, long at) {
    cases.add(new Object[] {label + " (at " + at + ")", (UnaryOperator<byte[]>) b -> {
      b[(int) at] ^= 0x10;
      return b;
    }});
  }

  private Outcome outcome(String damage, Path file) {
    return new Outcome(damage, cli(file, "cat", file.toString()), cli(file, "verify", file.toString()),
        spark(file, () -> "reads " + lazyq(file).collectAsList().size() + " rows"),
        spark(file, () -> "counts " + lazyq(file, "verify", "true").count() + " rows"));
  }

  private static String verify(Path file) {
    CommandLine cli = LazyQ.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    cli.execute("verify", file.toString());
    return out.toString();
  }

  /** The exit code and the first line the command printed: on stderr if it failed, else on stdout. */
  private static String cli(Path file, String... args) {
    CommandLine cli = LazyQ.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    String text = exit == 0 && !args[0].equals("verify") ? "prints " + (out.toString().lines().count() - 1) + " rows"
        : firstLine(exit == 0 || args[0].equals("verify") ? out.toString() : err.toString());
    return exit + ": " + text.replace(file.toString(), "FILE");
  }

  private interface Read {
    String run() throws Exception;
  }

  /** What a Spark read gives, or the first line of the innermost error's message. */
  private static String spark(Path file, Read read) {
    try {
      return read.run();
    } catch (Exception e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      return "fails: " + firstLine(String.valueOf(t.getMessage())).replace(file.toString(), "FILE");
    }
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse("");
  }

  private static String markdown(List<Outcome> table) {
    StringBuilder b = new StringBuilder("| damage | `lazyq cat` | `lazyq verify` | Spark read | `count(*)`, `verify=true` |\n"
        + "|---|---|---|---|---|\n");
    for (Outcome o : table) {
      b.append("| ").append(String.join(" | ", cell(o.damage()), cell(o.cat()), cell(o.verify()), cell(o.spark()),
          cell(o.verifiedCount()))).append(" |\n");
    }
    return b.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }
}
