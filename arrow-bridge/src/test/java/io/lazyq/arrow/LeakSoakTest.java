package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.LzqFile;
import io.lazyq.testing.NoLeaks;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens, reads (zero-copy and dequantized, through {@link LzqArrowReader}) and closes one file
 * {@code lazyq.soak.cycles} times (1,000 in the normal run, 10,000 under the fuzz profile), and
 * prints RSS, direct and mapped memory at every tenth: after the first tenth, none may grow. It
 * runs in a JVM of its own whose heap is fixed and pre-touched (the {@code soak} execution), since
 * a heap that grows would move RSS for reasons of its own.
 */
@ExtendWith(NoLeaks.class)
class LeakSoakTest {
  /** RSS may wander by this much (the JIT, the collector's own structures), but not grow with cycles. */
  private static final long RSS_SLACK = 48L << 20;

  @TempDir Path dir;

  @Test
  void openReadCloseCyclesStayFlat(NoLeaks.Ledger leaks) throws Exception {
    int cycles = Integer.getInteger("lazyq.soak.cycles", 1_000);
    Path file = QuantizedSample.write(dir.resolve("soak.lzq"), 20_000, 4096);
    BufferAllocator allocator = leaks.track(new RootAllocator(), BufferAllocator::getAllocatedMemory);
    System.out.printf("soak: %d cycles over %s (%d bytes)%n", cycles, file.getFileName(), Files.size(file));
    Memory baseline = null;
    Memory last = null;
    long rows = 0;
    for (int i = 1; i <= cycles; i++) {
      try (LzqArrowReader reader = LzqArrowReader.open(LzqFile.open(file), ArrowReadOptions.defaults(), allocator)) {
        while (reader.loadNextBatch()) {
          for (FieldVector v : reader.getVectorSchemaRoot().getFieldVectors()) {
            rows += v.getValueCount();
          }
        }
      }
      if (i % Math.max(1, cycles / 10) == 0) {
        last = Memory.now(allocator);
        System.out.printf("soak: cycle %6d  %s%n", i, last);
        baseline = baseline == null ? last : baseline;
      }
    }
    assertTrue(rows > 0);
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory after the last cycle");
    assertEquals(0, last.mappedCount, "mapped buffers left after a collection");
    assertTrue(last.rss - baseline.rss < RSS_SLACK, "RSS grew from " + baseline + " to " + last);
    assertTrue(last.direct <= baseline.direct, "direct memory grew from " + baseline + " to " + last);
  }

  /** The figures, after a collection so that released mappings are unmapped. */
  private record Memory(long rss, long direct, long mappedCount, long mapped, long arrow) {
    static Memory now(BufferAllocator allocator) throws Exception {
      // A released mapping is unmapped by a cleaner after the collection: wait for it, up to 5 s.
      for (int i = 0; i < 50 && mappedBuffers() > 0; i++) {
        System.gc();
        Thread.sleep(100);
      }
      long direct = 0;
      long mappedCount = 0;
      long mapped = 0;
      for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
        if (pool.getName().equals("direct")) {
          direct = pool.getMemoryUsed();
        } else if (pool.getName().equals("mapped")) {
          mappedCount = pool.getCount();
          mapped = pool.getMemoryUsed();
        }
      }
      return new Memory(readRss(), direct, mappedCount, mapped, allocator.getAllocatedMemory());
    }

    private static long mappedBuffers() {
      return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(p -> p.getName().equals("mapped")).mapToLong(BufferPoolMXBean::getCount).sum();
    }

    private static long readRss() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return -1;
    }

    @Override
    public String toString() {
      return String.format("VmRSS %6.1f MB  direct %8d B  mapped %d buffers, %d B  Arrow %d B", rss / 1e6, direct,
          mappedCount, mapped, arrow);
    }
  }
}
