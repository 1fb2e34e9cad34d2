package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.Column;
import io.lazyq.table.LogAction.Metadata;
import io.lazyq.table.TableChange;
import io.lazyq.table.TableLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table log on each file system's put-if-absent (a hard link, an HDFS rename that refuses to
 * replace, an S3 upload with {@code If-None-Match: *}): racing commits lose nothing, and
 * checkpoints keep reads flat there too. On s3proxy over a directory a LIST issued while other
 * uploads land can omit objects that exist (a writer whose upload of version 9 was refused listed
 * the log without version 9; another listed version 6 without version 0), so this is also the test
 * that the log finds its versions by name beyond what a listing shows.
 */
class TableLogStorageTest {
  private static final Metadata META = new Metadata(List.of(new Column("id", "int64", false)), List.of());

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void racingAppendsEachCommitOnceAndCheckpointsKeepReadsFlat(String kind) throws Exception {
    StorageServers.Target t = StorageServers.target(kind, dir);
    Storage storage = Storage.of(t.conf());
    String table = t.path("raced");
    TableLog log = new TableLog(table, storage, 10);
    int commits = 48;
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Long>> done = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < commits; i++) {
      String name = "p" + i + ".lzq";
      expected.add(name);
      done.add(pool.submit(() -> log.commit(log.snapshot(), new TableChange("j" + name, false, META,
          List.of(new AddFile(name, 1, 1, Map.of(), 0))))));
    }
    expected.sort(null);
    HashSet<Long> versions = new HashSet<>();
    for (Future<Long> f : done) {
      versions.add(f.get());
    }
    pool.shutdown();
    assertEquals(commits, versions.size(), "each commit its own version");
    assertEquals(commits - 1, log.latestVersion());
    TableLog reader = new TableLog(table, storage);
    List<String> files = reader.snapshot().files().stream().map(AddFile::path).sorted().toList();
    assertEquals(expected, files, "every append, once");
    long read = reader.filesRead();
    assertEquals(2 + (commits - 1) % 10, read, "the hint, checkpoint 40 and the entries after it");
    assertTrue(reader.checkCheckpoints().isEmpty());
    System.out.printf("%s: %d racing commits, %d log files read for version %d%n", kind, commits, read, commits - 1);
  }
}
