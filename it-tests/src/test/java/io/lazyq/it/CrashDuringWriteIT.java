package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lazyq.cli.LazyQ;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.WriterOptions;
import io.lazyq.sample.SensorDay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A writer killed with {@code kill -9} while it replaces a file, at random points
 * ({@code -Dlazyq.it.kills}, default 50): the earlier file stays intact under the final name, and
 * every file left in the directory either inspects cleanly or is reported incomplete (exit 3).
 */
class CrashDuringWriteIT {
  private static final int KILLS = Integer.getInteger("lazyq.it.kills", 50);
  /** The kill comes once the temporary file holds a random size below this. */
  private static final long MAX_KILL_BYTES = 48L << 20;
  private static Path dir;

  @BeforeAll
  static void dir() throws Exception {
    dir = ItData.freshDir("crash-write");
  }

  @AfterAll
  static void cleanUp() {
    ItData.delete(dir);
  }

  @Test
  void killedWriterLeavesTheEarlierFileIntact() throws Exception {
    Path target = dir.resolve("day.lzq");
    try (LzqWriter w = LzqWriter.create(target, SensorDay.schema(), WriterOptions.DEFAULTS)) {
      new SensorDay(10_000, 4, 1).write(w, rows -> { });
      w.commit();
    }
    byte[] earlier = Files.readAllBytes(target);
    long seed = Long.getLong("lazyq.it.seed", System.nanoTime());
    Random random = new Random(seed);
    int left = 0;
    int incomplete = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      long at = kill == 0 ? 0 : (long) (random.nextDouble() * MAX_KILL_BYTES);
      ChildJvm child = ChildJvm.of("256m", ItData.log("crash-write.log"), SlowWriteMain.class.getName(),
          target.toString(), "200000000");
      Process p = child.start();
      long size = waitForTemp(p, at);
      p.destroyForcibly().waitFor();

      assertArrayEquals(earlier, Files.readAllBytes(target), "kill " + kill + " at " + size + " bytes");
      for (Path f : files()) {
        boolean hidden = f.getFileName().toString().startsWith(".");
        assertTrue(hidden || f.equals(target), "unexpected file " + f);
        int code = inspect(f);
        if (hidden) {
          left++;
          incomplete += code == LazyQ.BAD_INPUT ? 1 : 0;
          assertTrue(code == LazyQ.OK || code == LazyQ.BAD_INPUT, f + ": exit " + code);
          Files.delete(f);
        } else {
          assertEquals(LazyQ.OK, code, f.toString());
        }
      }
      System.out.printf("crash during write: kill %d at %d bytes of the temporary file%n", kill + 1, size);
    }
    System.out.printf("crash during write: %d kills (-Dlazyq.it.kills, -Dlazyq.it.seed=%d), earlier file intact"
        + " every time; %d temporary files left by the kills, %d of them reported incomplete (exit 3)%n",
        KILLS, seed, left, incomplete);
  }

  /** Waits until the writer's hidden temporary file holds at least {@code bytes}; returns its size. */
  private static long waitForTemp(Process p, long bytes) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        fail("the writer ended before it was killed:\n" + Files.readString(ItData.log("crash-write.log")));
      }
      Optional<Path> temp = files().stream().filter(f -> f.getFileName().toString().startsWith(".day.lzq.")).findFirst();
      if (temp.isPresent()) {
        long size = Files.size(temp.get());
        if (size >= bytes) {
          return size;
        }
      }
      Thread.sleep(2);
    }
    p.destroyForcibly().waitFor();
    throw new AssertionError("the temporary file never reached " + bytes + " bytes");
  }

  private static List<Path> files() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** {@code lazyq inspect FILE}, its output kept out of the test log. */
  private static int inspect(Path f) {
    CommandLine cli = LazyQ.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(new StringWriter()));
    return cli.execute("inspect", f.toString());
  }
}
