package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ChunkFrames;
import io.lazyq.format.LzqFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowGenerateTest {
  @TempDir Path dir;

  @Test
  void followAppendsChunksAtTheRateWhileReadersWatch() throws Exception {
    Path out = dir.resolve("live.lzq");
    long start = System.nanoTime();
    CompletableFuture<Integer> gen = CompletableFuture.supplyAsync(() -> LazyQ.commandLine().execute(
        "generate", "sensors", "--out", out.toString(), "--follow", "--rate", "2000", "--chunk-rows", "200",
        "--rows", "100000", "--for", "1.5"));
    int seenWhileGrowing = 0;
    while (!gen.isDone()) {
      if (Files.exists(out)) {
        ChunkFrames frames = ChunkFrames.scan(out);
        if (!frames.finished()) {
          seenWhileGrowing = Math.max(seenWhileGrowing, frames.chunks());
        }
      }
      Thread.sleep(50);
    }
    assertEquals(LazyQ.OK, gen.get());
    double elapsed = (System.nanoTime() - start) / 1e9;
    assertTrue(elapsed >= 1.4, "ran for " + elapsed + " s");
    assertTrue(seenWhileGrowing >= 3, "chunks seen while the file grew: " + seenWhileGrowing);
    ChunkFrames done = ChunkFrames.scan(out);
    assertTrue(done.finished());
    // 2,000 rows/s for 1.5 s: 3,000 rows, in chunks of 200 (the last one due at 1.5 s may miss).
    assertTrue(done.chunks() >= 14 && done.chunks() <= 15, done.chunks() + " chunks");
    int[] expected = new int[done.chunks()];
    java.util.Arrays.fill(expected, 200);
    assertArrayEquals(expected, done.rows());
    try (LzqFile f = LzqFile.open(out)) {
      assertEquals(200L * done.chunks(), f.rowCount());
    }
  }
}
