package io.lazyq.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.Column;
import io.lazyq.table.LogAction.Metadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints of the table log: what reading costs with them, and that nothing depends on them. */
class CheckpointTest {
  private static final Metadata META = new Metadata(List.of(new Column("id", "int64", false)), List.of());
  private static final Storage STORAGE = Storage.of(new Configuration());

  @TempDir Path dir;

  /**
   * Appends and, every seventh version, an overwrite: the files of each version as the entries
   * give them, independently of {@link Snapshot#apply}.
   */
  private List<List<String>> commit(TableLog log, int versions) throws Exception {
    List<List<String>> expected = new ArrayList<>();
    LinkedHashMap<String, Boolean> live = new LinkedHashMap<>();
    for (int v = 0; v < versions; v++) {
      String name = "p" + v + ".lzq";
      boolean overwrite = v > 0 && v % 7 == 0;
      assertEquals(v, log.commit(log.snapshot(), new TableChange("j" + v, overwrite, META,
          List.of(new AddFile(name, v, 100 + v, Map.of(), 1_000 + v)))));
      if (overwrite) {
        live.clear();
      }
      live.put(name, true);
      expected.add(List.copyOf(live.keySet()));
    }
    return expected;
  }

  @Test
  void readingTheLatestVersionReadsAsManyFilesAt200VersionsAsAt10() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE, 10);
    List<List<String>> expected = new ArrayList<>();
    Map<Integer, Long> readsAt = new LinkedHashMap<>();
    LinkedHashMap<String, Boolean> live = new LinkedHashMap<>();
    for (int v = 0; v < 201; v++) {
      String name = "p" + v + ".lzq";
      log.commit(log.snapshot(), new TableChange("j" + v, false, META, List.of(new AddFile(name, v, 1, Map.of(), 0))));
      live.put(name, true);
      expected.add(List.copyOf(live.keySet()));
      if (v == 10 || v == 19 || v == 50 || v == 100 || v == 159 || v == 200) {
        TableLog reader = new TableLog(dir.toString(), STORAGE);
        Snapshot s = reader.snapshot();
        assertEquals(expected.get(v), names(s));
        readsAt.put(v, reader.filesRead());
      }
    }
    System.out.println("log files read for the latest version, by version: " + readsAt);
    // the hint, the checkpoint, and the entries after it
    assertEquals(Map.of(10, 2L, 19, 11L, 50, 2L, 100, 2L, 159, 11L, 200, 2L), readsAt);
    TableLog replaying = new TableLog(dir.toString(), STORAGE);
    assertEquals(201, replaying.entries().size());
    assertEquals(201, replaying.filesRead(), "without the checkpoints, a reader reads every entry");
  }

  @Test
  void timeTravelBeforeAndBetweenCheckpointsGivesEveryVersion() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE, 5);
    List<List<String>> expected = commit(log, 23);
    for (int v = 0; v < 23; v++) {
      assertEquals(expected.get(v), names(log.snapshotAt(v)), "version " + v);
    }
    assertTrue(Files.exists(dir.resolve("_lazyq_log/00000000000000000020.checkpoint.json")));
    assertFalse(Files.exists(dir.resolve("_lazyq_log/00000000000000000000.checkpoint.json")));
    assertTrue(log.checkCheckpoints().isEmpty());
  }

  @Test
  void aMissingOrDamagedCheckpointFallsBackToTheEntriesAndVerifyReportsIt() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE, 10);
    List<List<String>> expected = commit(log, 25);
    Path ten = dir.resolve("_lazyq_log/00000000000000000010.checkpoint.json");
    Path twenty = dir.resolve("_lazyq_log/00000000000000000020.checkpoint.json");
    byte[] whole = Files.readAllBytes(twenty);

    // the hint's CRC catches what still parses: a file name changed in place
    String renamed = new String(whole, StandardCharsets.UTF_8).replace("p17.lzq", "p71.lzq");
    Files.writeString(twenty, renamed);
    assertEquals(expected.get(24), names(new TableLog(dir.toString(), STORAGE).snapshot()));
    List<io.lazyq.LazyQFormatException> problems = log.checkCheckpoints();
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).getMessage().contains(twenty.toString())
        && problems.get(0).getMessage().contains("_last_checkpoint records"), problems.get(0).getMessage());

    // cut short: not JSON; checkpoint 10 is used instead
    Files.write(twenty, java.util.Arrays.copyOf(whole, whole.length / 2));
    TableLog reader = new TableLog(dir.toString(), STORAGE);
    assertEquals(expected.get(24), names(reader.snapshot()));
    assertEquals(1 + 1 + 1 + 14, reader.filesRead(), "the hint, checkpoint 20, checkpoint 10, entries 11 to 24");
    assertTrue(log.checkCheckpoints().get(0).getMessage().contains(whole.length / 2 + " bytes of CRC-32"));

    // without the hint, a checkpoint that parses but disagrees with the entries is found by verify
    Files.delete(dir.resolve("_lazyq_log/_last_checkpoint"));
    assertTrue(log.checkCheckpoints().get(0).getMessage().contains("cut short"));
    Files.writeString(twenty, renamed);
    problems = log.checkCheckpoints();
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).getMessage().contains("others or other metadata"), problems.get(0).getMessage());

    Files.delete(twenty);
    Files.delete(ten);
    for (int v = 0; v < 25; v++) {
      assertEquals(expected.get(v), names(log.snapshotAt(v)), "version " + v);
    }
    assertTrue(log.checkCheckpoints().isEmpty());
  }

  @Test
  void expiryDeletesOnlyWhatACheckpointCoversAndOnlyBeforeTheRetention() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE, 10);
    List<List<String>> expected = commit(log, 25);
    assertEquals(List.of(), log.expire(0), "every version is within the retention");

    List<String> deleted = log.expire(System.currentTimeMillis() + 1);
    assertEquals(20 + 1, deleted.size(), "entries 0 to 19 and checkpoint 10");
    assertFalse(Files.exists(dir.resolve("_lazyq_log/00000000000000000019.json")));
    assertTrue(Files.exists(dir.resolve("_lazyq_log/00000000000000000020.json")));
    TableLog reader = new TableLog(dir.toString(), STORAGE);
    assertEquals(expected.get(24), names(reader.snapshot()));
    for (int v = 20; v < 25; v++) {
      assertEquals(expected.get(v), names(reader.snapshotAt(v)), "version " + v);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.snapshotAt(19));
    assertTrue(e.getMessage().contains("no version 19 any more") && e.getMessage().contains("versions available: 20 to 24"),
        e.getMessage());
    assertEquals(20, reader.entries().get(0).version());
    assertEquals(20, reader.versionAt(reader.entries().get(0).commitInfo().orElseThrow().timestamp()));
    assertTrue(reader.checkCheckpoints().isEmpty());

    // appends go on from the expired log, and a checkpoint that is damaged stops the next expiry
    commit(log, 0);
    log.commit(log.snapshot(), new TableChange("late", false, META, List.of(new AddFile("late.lzq", 1, 1, Map.of(), 0))));
    assertEquals(25, log.latestVersion());
    assertEquals(List.of(), log.expire(System.currentTimeMillis() + 1), "only checkpoint 20 covers anything");
  }

  private static List<String> names(Snapshot s) {
    return s.files().stream().map(AddFile::path).toList();
  }
}
