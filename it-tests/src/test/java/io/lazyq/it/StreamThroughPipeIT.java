package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.FileLayout;
import io.lazyq.format.FrameHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A file of more than 2 GB read sequentially through a pipe by a JVM of 128 MB of heap: it
 * completes, sees every row and every value, and its memory stays bounded by one chunk.
 */
class StreamThroughPipeIT {
  /** About 1,036 bytes per row: 2.1 M rows make a file of about 2.2 GB. */
  private static final long ROWS = 2_100_000;
  /**
   * Chunks of 32 MB. The writer's default, 64 MB, runs out of a 128 MB heap: the reader's buffer
   * grows by doubling, so buffers of 32 and 64 MB are live at once, in G1's humongous regions.
   */
  private static final long CHUNK_BYTES = Long.getLong("lazyq.it.pipe.chunkBytes", 32L << 20);
  private static Path dir;

  @BeforeAll
  static void dir() throws Exception {
    dir = ItData.freshDir("stream-pipe");
  }

  @AfterAll
  static void cleanUp() {
    ItData.delete(dir);
  }

  @Test
  void readsMoreThan2GbThroughAPipeUnder128MbOfHeap() throws Exception {
    Path file = dir.resolve("pipe.lzq");
    long t0 = System.nanoTime();
    long checksum = PipeTable.write(file, ROWS, CHUNK_BYTES);
    long size = Files.size(file);
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(size > 2_000_000_000L, "file of " + size + " bytes");

    long t1 = System.nanoTime();
    ChildJvm child = ChildJvm.of("128m", ItData.log("stream-pipe-reader.log"), StreamReadMain.class.getName(),
        "--skip-by-reading");
    Process p = child.start();
    // The child's standard input is a pipe: this JVM feeds it, so the reader cannot seek.
    try (OutputStream pipe = p.getOutputStream()) {
      Files.copy(file, pipe);
    } catch (IOException e) {
      // the reader stopped early: its log below says why
    }
    ChildJvm.Result result = child.await(p, 10);
    double readSeconds = (System.nanoTime() - t1) / 1e9;
    Files.delete(file);

    assertEquals(0, result.exitCode(), result.output());
    Map<String, String> v = result.values();
    assertEquals(ROWS, Long.parseLong(v.get("rows")));
    assertEquals(size, Long.parseLong(v.get("bytes")));
    assertEquals(0, Long.parseLong(v.get("mismatches")));
    assertEquals(checksum, Long.parseLong(v.get("checksum")));
    long heap = Long.parseLong(v.get(Reports.PEAK_HEAP));
    assertTrue(heap <= 128L << 20, "peak heap " + heap);
    System.out.printf("stream through a pipe: %d rows, %d chunks, %s; written in %.1f s, read in %.1f s"
            + " (%.0f MB/s); -Xmx128m: peak heap %s, chunk buffer %s, VmHWM %s%n",
        ROWS, Long.parseLong(v.get("chunks")), Reports.mib(size), writeSeconds, readSeconds,
        size / readSeconds / 1e6, Reports.mib(heap), Reports.mib(Long.parseLong(v.get("buffer.bytes"))),
        v.containsKey(Reports.VM_HWM) ? Reports.mib(Long.parseLong(v.get(Reports.VM_HWM))) : "n/a");
  }

  /**
   * The padding after the footer, skipped on a real pipe whose buffer has run dry: the writer
   * pauses where the footer's payload ends, as a slow producer would.
   */
  @Test
  void skipsPaddingOnAPipe() throws Exception {
    Path file = dir.resolve("small.lzq");
    long checksum = PipeTable.write(file, 2_000, 64 << 10);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long footer = FileLayout.decodeTrailer(b.slice(bytes.length - FileLayout.TRAILER_BYTES, FileLayout.TRAILER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN), file.toString(), bytes.length);
    FrameHeader frame = FrameHeader.decode(b.slice((int) footer, FileLayout.FRAME_HEADER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN), file.toString(), footer, bytes.length);
    int footerEnd = (int) (footer + FileLayout.FRAME_HEADER_BYTES + frame.payloadLength());
    assertTrue(footerEnd < bytes.length - FileLayout.TRAILER_BYTES, "padding after the footer");

    ChildJvm child = ChildJvm.of("128m", ItData.log("stream-pipe-skip.log"), StreamReadMain.class.getName());
    Process p = child.start();
    try (OutputStream pipe = p.getOutputStream()) {
      pipe.write(bytes, 0, footerEnd);
      pipe.flush();
      Thread.sleep(500);
      pipe.write(bytes, footerEnd, bytes.length - footerEnd);
    } catch (IOException e) {
      // the reader stopped early: its log below says why
    }
    ChildJvm.Result result = child.await(p, 2);
    assertEquals(0, result.exitCode(), result.output());
    assertEquals(checksum, Long.parseLong(result.values().get("checksum")));
  }
}
