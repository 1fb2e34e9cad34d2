package io.lazyq.format;

import io.lazyq.lossless.BlockDecoder;
import io.lazyq.lossless.ValueKind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * What opening and reading a column chunk costs, and its parts, per value of the float columns
 * (float32 and float64; with {@code -Dbench.integers=true} int64 and timestamp columns too) of the {@code .lzq} files under each directory given: {@code open} is
 * {@link LzqFile#column} and {@link ColumnView#close}, {@code read} reading the view in batches of
 * 4096 (the file kept open, as a reader of several columns keeps it); then, apart, a fresh mapping of the region ({@code map}, its pages touched once),
 * the region's CRC32C ({@code crc}) and {@link BlockDecoder#open} over it ({@code decoder}). CPU time
 * of this thread (ThreadMXBean), best of {@code bench.passes} passes (30 by default) after as many
 * for warm-up; and every float column of a chunk opened and closed together on a freshly opened
 * file, as a scan's task opens them. All of it runs unreported first, over and over for
 * {@code bench.warmupMs} (3000 by default; 0 leaves that out): a column's own warm-up passes over a
 * chunk take a few milliseconds (NAB's 45,626 values) to some tens (PM2.5/weather's 262,920), less
 * than the JIT takes on a loaded machine to compile a decode path that earlier columns did not
 * use, so without it a column's figures depended on which columns came before it (PM2.5/weather's
 * wind speed read at 6-10 ns/value where its decoder takes 3.3 once compiled, NAB's value at 8-26
 * in both builds). Run with the heap committed and touched up front: a run that allocates little
 * touches fresh heap pages through its measured passes, which cost 20-70 ns a value of opening on
 * this machine wherever they fell (a column's array of decoded values is fresh memory), and
 * {@code -XX:+AlwaysPreTouch} took them out of every figure:
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp connector/target/test-classes:connector/target/classes:$(cat /tmp/cp.txt) \
 *   io.lazyq.format.ColumnOpenBench DIR...
 * </pre>
 */
public final class ColumnOpenBench {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private ColumnOpenBench() {}

  public static void main(String[] args) throws IOException {
    int passes = Integer.getInteger("bench.passes", 30);
    long warmup = Long.getLong("bench.warmupMs", 3000);
    if (warmup > 0) {
      PrintStream out = System.out;
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      try {
        long until = System.nanoTime() + warmup * 1_000_000;
        do {
          measure(args, passes);
        } while (System.nanoTime() < until);
      } finally {
        System.setOut(out);
      }
    }
    measure(args, passes);
  }

  private static void measure(String[] args, int passes) throws IOException {
    for (String dir : args) {
      List<Path> files;
      try (Stream<Path> s = Files.list(Path.of(dir))) {
        files = s.filter(f -> f.getFileName().toString().endsWith(".lzq")).sorted().toList();
      }
      for (Path f : files) {
        try (LzqFile file = LzqFile.open(f)) {
          System.out.printf("%s: %,d rows in %d chunks%n", Path.of(dir).getFileName(), file.rowCount(), file.index().size());
          List<Integer> floats = new ArrayList<>();
          for (int c = 0; c < file.schema().size(); c++) {
            ColumnType t = file.schema().field(c).type();
            if (t.equals(ColumnType.FLOAT32) || t.equals(ColumnType.FLOAT64)) {
              column(f, file, c, passes);
              floats.add(c);
            } else if (Boolean.getBoolean("bench.integers") && LosslessStage.valueKind(t) != null && t.kind().width() == 8) {
              column(f, file, c, passes);
            }
          }
          together(f, floats.stream().mapToInt(Integer::intValue).toArray(), passes);
        }
      }
    }
  }

  /**
   * Opening and closing every float column of each chunk together, as a scan does
   * ({@link LzqFile#columns}), each pass on a freshly opened file: ns per value.
   */
  private static void together(Path path, int[] columns, int passes) throws IOException {
    double best = Double.MAX_VALUE;
    for (int pass = 0; pass < 2 * passes; pass++) {
      long nanos = 0;
      long values = 0;
      try (LzqFile file = LzqFile.open(path)) {
        for (int k = 0; k < file.index().size(); k++) {
          long t0 = CPU.getCurrentThreadCpuTime();
          ColumnView[] views = file.columns(k, columns);
          for (ColumnView v : views) {
            v.close();
          }
          nanos += CPU.getCurrentThreadCpuTime() - t0;
          values += (long) file.index().chunk(k).rows() * columns.length;
        }
      }
      if (pass >= passes) {
        best = Math.min(best, nanos / (double) values);
      }
    }
    System.out.printf(Locale.ROOT, "  all float columns of a chunk opened together, fresh file: %.2f ns/value%n", best);
  }

  private static void column(Path path, LzqFile file, int c, int passes) throws IOException {
    ValueKind kind = LosslessStage.valueKind(file.schema().field(c).type());
    float[] fb = new float[4096];
    double[] db = new double[4096];
    long[] lb = new long[4096];
    double[] best = new double[6];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    String schemes = "";
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      for (int pass = 0; pass < 2 * passes; pass++) {
        long[] t = new long[6];
        long values = 0;
        for (int k = 0; k < file.index().size(); k++) {
          ChunkDescriptor chunk = file.index().chunk(k);
          int n = chunk.rows();
          long t0 = CPU.getCurrentThreadCpuTime();
          ColumnView view = file.column(k, c);
          long t1 = CPU.getCurrentThreadCpuTime();
          for (int at = 0; at < n; at += 4096) {
            if (kind == ValueKind.FLOAT64) {
              view.readDoubles(at, Math.min(4096, n - at), db, 0);
            } else if (kind == ValueKind.FLOAT32) {
              view.readFloats(at, Math.min(4096, n - at), fb, 0);
            } else {
              view.readLongs(at, Math.min(4096, n - at), lb, 0);
            }
          }
          long t2 = CPU.getCurrentThreadCpuTime();
          schemes = view.encodingSummary();
          view.close();
          long t3 = CPU.getCurrentThreadCpuTime();
          t[0] += t1 - t0 + t3 - t2;
          t[1] += t2 - t1;

          ColumnChunk col = chunk.column(c);
          long at = chunk.payloadOffset() + col.offset();
          long m0 = CPU.getCurrentThreadCpuTime();
          MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, at, col.length());
          long mm = CPU.getCurrentThreadCpuTime();
          t[5] += mm - m0;
          for (int i = 0; i < mapped.limit(); i += 4096) {
            mapped.get(i);
          }
          long m1 = CPU.getCurrentThreadCpuTime();
          CRC32C crc = new CRC32C();
          crc.update(mapped.duplicate());
          long m2 = CPU.getCurrentThreadCpuTime();
          if ((int) crc.getValue() != col.crc32c()) {
            throw new IllegalStateException("checksum");
          }
          if (col.compression() == ColumnEncoding.Lossless.BLOCKS) {
            ByteBuffer encoded = mapped.duplicate().position((int) col.values().offset()).limit((int) col.values().end())
                .slice().order(ByteOrder.LITTLE_ENDIAN);
            BlockDecoder d = BlockDecoder.open(encoded, kind, col.valueCount());
            d.release();
          }
          long m3 = CPU.getCurrentThreadCpuTime();
          t[2] += m1 - m0;
          t[3] += m2 - m1;
          t[4] += m3 - m2;
          values += n;
        }
        if (pass >= passes) {
          for (int i = 0; i < t.length; i++) {
            best[i] = Math.min(best[i], t[i] / (double) values);
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "  %-16s open %6.2f  read %6.2f  | map %6.2f (syscall %6.2f)  crc %6.2f  decoder %6.2f ns/value  %s%n",
        file.schema().field(c).name(), best[0], best[1], best[2], best[5], best[3], best[4], schemes);
  }
}
