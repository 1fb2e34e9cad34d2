package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnChunk;
import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.LzqFile;
import io.lazyq.format.SampleTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  @TempDir Path dir;

  private Path table(Path d, int files) throws Exception {
    Files.createDirectories(d);
    StringBuilder listed = new StringBuilder();
    for (int i = 0; i < files; i++) {
      Path part = d.resolve("part-" + i + ".lzq");
      SampleTables.write(part, SampleTables.allTypes(), SampleTables.allTypesRows(700, i), 300);
      listed.append(i == 0 ? "" : ",").append("{\"name\":\"").append(part.getFileName()).append("\",\"rows\":700,")
          .append("\"bytes\":").append(Files.size(part)).append('}');
    }
    Files.writeString(d.resolve("_lazyq_manifest.json"), "{\"version\":1,\"job\":\"j\",\"files\":[" + listed + "]}");
    return d;
  }

  @Test
  void aCleanFileSaysWhatWasChecked() throws Exception {
    Path file = dir.resolve("t.lzq");
    SampleTables.write(file, SampleTables.allTypes(), SampleTables.allTypesRows(1000, 3), 300);
    CliTest.Run run = CliTest.run("verify", file.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    int columns = SampleTables.allTypes().size();
    assertEquals(file + ": intact: " + String.format("%,d", Files.size(file)) + " bytes, 6 frames, 4 chunks, 1,000 rows, "
        + 4 * columns + " column chunks checked", run.out().strip());
  }

  @Test
  void aCleanTableDirectoryChecksEveryListedFile() throws Exception {
    Path t = table(dir.resolve("table"), 3);
    CliTest.Run run = CliTest.run("verify", t.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(4, lines.size(), run.out());
    assertTrue(lines.get(0).startsWith(t.resolve("part-0.lzq") + ": intact: "), lines.get(0));
    assertEquals(t + ": intact: 3 files", lines.get(3));
  }

  @Test
  void everyDamageInADirectoryIsNamed() throws Exception {
    Path t = table(dir.resolve("table"), 3);
    Files.delete(t.resolve("part-0.lzq"));
    Path damaged = t.resolve("part-2.lzq");
    byte[] bytes = Files.readAllBytes(damaged);
    ChunkDescriptor chunk;
    try (LzqFile f = LzqFile.open(damaged)) {
      chunk = f.index().chunk(1);
    }
    ColumnChunk name = chunk.column(SampleTables.allTypes().indexOf("name"));
    long at = chunk.payloadOffset() + name.offset() + name.length() / 2;
    bytes[(int) at] ^= 1;
    Files.write(damaged, bytes);
    Files.write(t.resolve("part-1.lzq"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    CliTest.Run run = CliTest.run("verify", t.toString());
    assertEquals(LazyQ.BAD_INPUT, run.exit(), run.out() + run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(t.resolve("part-0.lzq") + ": damaged at an unknown offset: missing: the table lists it", lines.get(0));
    assertTrue(lines.get(1).startsWith(t.resolve("part-1.lzq") + ": damaged at offset "), lines.get(1));
    assertTrue(run.out().contains(damaged + ": damaged at offset " + chunk.payloadOffset() + ", chunk 1:"
        + " chunk frame payload checksum mismatch"), run.out());
    assertTrue(run.out().contains(damaged + ": damaged at offset " + (chunk.payloadOffset() + name.offset())
        + ", chunk 1, column 'name': checksum mismatch in chunk 1, column 'name'"), run.out());
  }

  @Test
  void junkIsNotALazyQFile() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.lzq"), "no LazyQ file, only text, quite a bit of it to be sure."
        + " More than sixty-four bytes of it.");
    CliTest.Run run = CliTest.run("verify", junk.toString());
    assertEquals(LazyQ.BAD_INPUT, run.exit());
    assertEquals(junk + ": damaged at offset 0: not a LazyQ file (bad magic)", run.out().lines().findFirst().orElseThrow());
  }
}
