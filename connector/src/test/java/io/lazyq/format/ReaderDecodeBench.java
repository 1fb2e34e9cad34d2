package io.lazyq.format;

import io.lazyq.lossless.BlockDecoder;
import io.lazyq.lossless.ValueKind;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Where the file reader's decode of float32 columns goes, against {@link BlockDecoder} alone: the
 * loop of RealDataBench's decode (each pass a freshly opened {@link LzqFile}, each float32 column
 * of its first chunk opened by {@link LzqFile#column} and read by {@link ColumnView#readFloats} in
 * batches of 4096), GB/s of float32 per CPU second of the thread, reading alone and with opening,
 * best pass; then per column the best of each part, in ns a value: the view's opening and reading,
 * and apart on the same column a fresh mapping of its region with its pages touched, its CRC32C,
 * {@link BlockDecoder#open} over the mapping, reading through that decoder, and a decoder's open +
 * read over the region copied to the heap. Passes enough to decode {@code bench.values} values
 * (30 M by default, at least 25); {@code bench.readerOnly=true} leaves the parts out. Each argument
 * is a directory holding one {@code .lzq} file (RealDataBench's output, or {@code lazyq convert}'s):
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp connector/target/test-classes:connector/target/classes:$(cat /tmp/cp.txt) \
 *   io.lazyq.format.ReaderDecodeBench DIR...
 * </pre>
 */
public final class ReaderDecodeBench {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final int BATCH = 4096;

  private ReaderDecodeBench() {}

  public static void main(String[] args) throws IOException {
    long target = Long.getLong("bench.values", 30_000_000L);
    boolean parts = !Boolean.getBoolean("bench.readerOnly");
    for (String dir : args) {
      Path f;
      try (Stream<Path> s = Files.list(Path.of(dir))) {
        f = s.filter(p -> p.toString().endsWith(".lzq")).findFirst().orElseThrow();
      }
      List<Integer> cols = new ArrayList<>();
      long perPass = 0;
      try (LzqFile file = LzqFile.open(f)) {
        for (int c = 0; c < file.schema().size(); c++) {
          if (file.schema().field(c).type().equals(ColumnType.FLOAT32)) {
            cols.add(c);
            perPass += file.index().chunk(0).rows();
          }
        }
      }
      int passes = (int) Math.max(25, target / Math.max(1, perPass));
      double[][] best = new double[cols.size()][7];
      for (double[] b : best) {
        Arrays.fill(b, Double.MAX_VALUE);
      }
      double bestRead = 0;
      double bestAll = 0;
      String[] names = new String[cols.size()];
      String[] schemes = new String[cols.size()];
      float[] batch = new float[BATCH];
      Map<Integer, ByteBuffer> heap = new HashMap<>();
      try (FileChannel channel = FileChannel.open(f)) {
        for (int pass = 0; pass < passes; pass++) {
          long values = 0;
          long reading = 0;
          long all = 0;
          try (LzqFile file = LzqFile.open(f)) {
            ChunkDescriptor chunk = file.index().chunk(0);
            int n = chunk.rows();
            for (int i = 0; i < cols.size(); i++) {
              int c = cols.get(i);
              long t0 = CPU.getCurrentThreadCpuTime();
              try (ColumnView v = file.column(0, c)) {
                long t1 = CPU.getCurrentThreadCpuTime();
                for (int at = 0; at < n; at += BATCH) {
                  v.readFloats(at, Math.min(BATCH, n - at), batch, 0);
                }
                long t2 = CPU.getCurrentThreadCpuTime();
                reading += t2 - t1;
                all += t2 - t0;
                values += n;
                best[i][0] = Math.min(best[i][0], (t1 - t0) / (double) n);
                best[i][1] = Math.min(best[i][1], (t2 - t1) / (double) n);
                names[i] = file.schema().field(c).name();
                schemes[i] = v.encodingSummary();
              }
              if (parts) {
                parts(channel, chunk, c, batch, heap, best[i]);
              }
            }
          }
          bestRead = Math.max(bestRead, 4.0 * values / reading);
          bestAll = Math.max(bestAll, 4.0 * values / all);
        }
      }
      System.out.printf(Locale.ROOT, "%s: %d passes; GB/s read %.2f / open + read %.2f%n", Path.of(dir).getFileName(), passes,
          bestRead, bestAll);
      for (int i = 0; i < cols.size(); i++) {
        double[] b = best[i];
        System.out.printf(Locale.ROOT, "  %-14s view open %5.2f read %5.2f (%5.2f GB/s)", names[i], b[0], b[1], 4 / (b[0] + b[1]));
        if (parts) {
          System.out.printf(Locale.ROOT, " | map+touch %5.2f crc %5.2f decoder open %5.2f read %5.2f | heap open+read %5.2f (%5.2f GB/s)",
              b[2], b[3], b[4], b[5], b[6], 4 / b[6]);
        }
        System.out.printf(Locale.ROOT, " ns/value  %s%n", schemes[i]);
      }
    }
  }

  /** The parts of column {@code c}'s opening and reading, each timed apart, into {@code best[2..6]}. */
  private static void parts(FileChannel channel, ChunkDescriptor chunk, int c, float[] batch, Map<Integer, ByteBuffer> heap,
      double[] best) throws IOException {
    int n = chunk.rows();
    ColumnChunk col = chunk.column(c);
    long m0 = CPU.getCurrentThreadCpuTime();
    MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, chunk.payloadOffset() + col.offset(), col.length());
    for (int k = 0; k < mapped.limit(); k += 4096) {
      mapped.get(k);
    }
    long m1 = CPU.getCurrentThreadCpuTime();
    CRC32C crc = new CRC32C();
    crc.update(mapped.duplicate());
    long m2 = CPU.getCurrentThreadCpuTime();
    if ((int) crc.getValue() != col.crc32c()) {
      throw new IllegalStateException("checksum of column " + c);
    }
    ByteBuffer encoded = mapped.duplicate().position((int) col.values().offset()).limit((int) col.values().end()).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
    BlockDecoder d = BlockDecoder.open(encoded, ValueKind.FLOAT32, col.valueCount());
    long m3 = CPU.getCurrentThreadCpuTime();
    for (int at = 0; at < n; at += BATCH) {
      d.readFloats(at, Math.min(BATCH, n - at), batch, 0);
    }
    long m4 = CPU.getCurrentThreadCpuTime();
    d.release();
    ByteBuffer h = heap.computeIfAbsent(c, k -> ByteBuffer.allocate(encoded.limit()).put(encoded.duplicate()).flip());
    long h0 = CPU.getCurrentThreadCpuTime();
    BlockDecoder onHeap = BlockDecoder.open(h, ValueKind.FLOAT32, col.valueCount());
    for (int at = 0; at < n; at += BATCH) {
      onHeap.readFloats(at, Math.min(BATCH, n - at), batch, 0);
    }
    long h1 = CPU.getCurrentThreadCpuTime();
    onHeap.release();
    best[2] = Math.min(best[2], (m1 - m0) / (double) n);
    best[3] = Math.min(best[3], (m2 - m1) / (double) n);
    best[4] = Math.min(best[4], (m3 - m2) / (double) n);
    best[5] = Math.min(best[5], (m4 - m3) / (double) n);
    best[6] = Math.min(best[6], (h1 - h0) / (double) n);
  }
}
