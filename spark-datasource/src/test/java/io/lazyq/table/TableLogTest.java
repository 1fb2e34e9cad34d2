package io.lazyq.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.Column;
import io.lazyq.table.LogAction.CommitInfo;
import io.lazyq.table.LogAction.Metadata;
import io.lazyq.table.LogAction.Operation;
import io.lazyq.table.LogAction.Protocol;
import io.lazyq.table.LogAction.RemoveFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableLogTest {
  private static final Metadata META = new Metadata(List.of(new Column("id", "int64", false),
      new Column("v", "float64", true)), List.of());
  private static final Storage STORAGE = Storage.of(new Configuration());

  @TempDir Path dir;

  @Test
  void everyActionSurvivesTheCodec() throws Exception {
    List<LogAction> actions = List.of(Protocol.CURRENT, META,
        new AddFile("part-00000-a.lzq", 1000, 52_100, Map.of(), 1_700_000_000_000L),
        new RemoveFile("part-00001-b.lzq", 1_700_000_000_001L),
        new CommitInfo(Operation.OVERWRITE, 1_700_000_000_002L, "job-1", 41));
    byte[] bytes = LogCodec.encode(42, actions);
    assertEquals(actions, LogCodec.decode("t", 42, "f", bytes));
  }

  @Test
  void commitsReplayAndOverwritesRemoveFromTheTableOnly() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE);
    assertEquals(-1, log.snapshot().version());
    assertEquals(0, log.commit(log.snapshot(), append("j1", "a.lzq", "b.lzq")));
    assertEquals(1, log.commit(log.snapshot(), append("j2", "c.lzq")));
    Snapshot two = log.snapshot();
    assertEquals(List.of("a.lzq", "b.lzq", "c.lzq"), names(two));
    assertEquals(2, log.commit(two, new TableChange("j3", true, META, List.of(add("d.lzq")))));
    assertEquals(List.of("d.lzq"), names(log.snapshot()));
    assertEquals(Operation.CREATE, log.entries().get(0).commitInfo().orElseThrow().operation());
    assertEquals(Operation.OVERWRITE, log.entries().get(2).commitInfo().orElseThrow().operation());
    assertTrue(Files.exists(dir.resolve("_lazyq_log/00000000000000000002.json")));
  }

  /** What a stream asks of the log: one version's entry by name, and whether it only adds files. */
  @Test
  void anEntryReadByNameTellsAppendsFromChangesAndAGapFromAVersionToCome() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE);
    log.commit(log.snapshot(), append("j1", "a.lzq"));
    log.commit(log.snapshot(), append("j2", "b.lzq", "c.lzq"));
    log.commit(log.snapshot(), new TableChange("j3", true, META, List.of(add("d.lzq"))));
    LogEntry append = log.entry(1).orElseThrow();
    assertTrue(append.onlyAdds());
    assertEquals(List.of("b.lzq", "c.lzq"), append.adds().stream().map(AddFile::path).toList());
    assertTrue(log.entry(0).orElseThrow().onlyAdds(), "the log's start adds the table's files");
    LogEntry overwrite = log.entry(2).orElseThrow();
    assertTrue(!overwrite.onlyAdds());
    assertEquals(List.of("d.lzq"), overwrite.adds().stream().map(AddFile::path).toList());
    assertTrue(log.entry(3).isEmpty(), "not committed yet");

    Files.delete(dir.resolve("_lazyq_log/00000000000000000001.json"));
    LazyQFormatException gone = assertThrows(LazyQFormatException.class, () -> log.entry(1));
    assertTrue(gone.getMessage().contains("version 1 of the table") && gone.getMessage().contains("version 2 exists"),
        gone.getMessage());
  }

  @Test
  void aLosingAppendRetriesAndALosingOverwriteFailsNamingBothVersions() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE);
    log.commit(log.snapshot(), append("j1", "a.lzq"));
    Snapshot stale = log.snapshot();
    log.commit(stale, append("j2", "b.lzq"));
    assertEquals(2, log.commit(stale, append("j3", "c.lzq")), "the append follows the version it missed");
    assertEquals(List.of("a.lzq", "b.lzq", "c.lzq"), names(log.snapshot()));

    CommitConflictException e = assertThrows(CommitConflictException.class,
        () -> log.commit(stale, new TableChange("j4", true, META, List.of(add("d.lzq")))));
    assertEquals(0, e.readVersion());
    assertEquals(1, e.conflictingVersion());
    assertTrue(e.getMessage().contains("read version 0") && e.getMessage().contains("version 1 (APPEND by job j2)"),
        e.getMessage());
    assertEquals(2, log.latestVersion(), "nothing committed");
  }

  @Test
  void anAppendMissingAnOverwriteThatChangedTheColumnsFails() throws Exception {
    TableLog log = new TableLog(dir.resolve("columns").toString(), STORAGE);
    log.commit(log.snapshot(), append("j1", "a.lzq"));
    Snapshot stale = log.snapshot();
    Metadata other = new Metadata(List.of(new Column("id", "int32", false)), List.of());
    log.commit(stale, new TableChange("j2", true, other, List.of(add("b.lzq"))));
    CommitConflictException e = assertThrows(CommitConflictException.class, () -> log.commit(stale, append("j3", "c.lzq")));
    assertTrue(e.getMessage().contains("as of version 1 the table's columns are (id int32)"), e.getMessage());
    assertEquals(List.of("b.lzq"), names(log.snapshot()));
  }

  @Test
  void concurrentAppendsLoseNothing() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Long>> done = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      String name = "p" + i + ".lzq";
      done.add(pool.submit(() -> log.commit(log.snapshot(), append("j" + name, name))));
    }
    for (Future<Long> f : done) {
      f.get();
    }
    pool.shutdown();
    assertEquals(63, log.latestVersion());
    assertEquals(64, log.snapshot().files().size());
  }

  @Test
  void versionsThatAListingOmitsAreFoundByName() throws Exception {
    TableLog writer = new TableLog(dir.toString(), STORAGE);
    for (String name : List.of("a.lzq", "b.lzq", "c.lzq", "d.lzq", "e.lzq")) {
      writer.commit(writer.snapshot(), append("j-" + name, name));
    }
    Snapshot two = writer.snapshotAt(2);
    // the listing shows version 1 alone: 0 before it, 2 between, 3 and 4 after it are found by name
    Storage omitting = Storage.of(OmittingLocalFileSystem.omitting(TableLog.fileName(0), TableLog.fileName(2),
        TableLog.fileName(3), TableLog.fileName(4)));
    assertEquals(List.of(TableLog.fileName(1)), omitting.list(dir.resolve(TableLog.DIRECTORY).toString()).stream()
        .map(io.lazyq.storage.FileEntry::name).toList());
    TableLog lagging = new TableLog(dir.toString(), omitting);
    assertEquals(4, lagging.latestVersion());
    assertEquals(List.of("a.lzq", "b.lzq", "c.lzq", "d.lzq", "e.lzq"), names(lagging.snapshot()));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), lagging.entries().stream().map(LogEntry::version).toList());
    assertEquals(List.of("a.lzq", "b.lzq", "c.lzq"), names(lagging.snapshotAt(2)));
    // a commit that read version 2 loses the race for version 3, finds 3 and 4 by name, and takes 5
    assertEquals(5, lagging.commit(two, append("j-f", "f.lzq")));
    assertEquals(List.of("a.lzq", "b.lzq", "c.lzq", "d.lzq", "e.lzq", "f.lzq"), names(writer.snapshot()));
  }

  @Test
  void badEntriesNameTheTableTheVersionAndTheFile() throws Exception {
    TableLog log = new TableLog(dir.toString(), STORAGE);
    log.commit(log.snapshot(), append("j1", "a.lzq"));
    log.commit(log.snapshot(), append("j2", "b.lzq"));
    Path one = dir.resolve("_lazyq_log/00000000000000000001.json");
    byte[] whole = Files.readAllBytes(one);

    Files.write(one, java.util.Arrays.copyOf(whole, whole.length / 2));
    expectBroken(log, 1, one, "cut short");
    Files.writeString(one, "this is not json");
    expectBroken(log, 1, one, "not JSON");
    Files.writeString(one, "");
    expectBroken(log, 1, one, "empty");
    Files.write(one, LogCodec.encode(7, List.of()));
    expectBroken(log, 1, one, "records version 7");
    Files.writeString(one, "{\"lazyqLog\":1,\"version\":1,\"actions\":[{\"add\":{\"path\":\"../x\",\"rows\":1,\"bytes\":1}}]}");
    expectBroken(log, 1, one, "invalid file");

    Files.write(one, whole);
    Files.move(one, dir.resolve("_lazyq_log/00000000000000000002.json"));
    expectBroken(log, 1, one, "missing, though version 2 exists");
  }

  private static void expectBroken(TableLog log, long version, Path file, String what) {
    LazyQFormatException e = assertThrows(LazyQFormatException.class, log::snapshot);
    String m = e.getMessage();
    assertTrue(m.contains(file.toString()) && m.contains("version " + version + " of the table " + log.table())
        && m.contains(what), m);
  }

  private static TableChange append(String job, String... files) {
    return new TableChange(job, false, META, java.util.Arrays.stream(files).map(TableLogTest::add).toList());
  }

  private static AddFile add(String name) {
    return new AddFile(name, 10, 100, Map.of(), 0);
  }

  private static List<String> names(Snapshot s) {
    return s.files().stream().map(AddFile::path).toList();
  }
}
