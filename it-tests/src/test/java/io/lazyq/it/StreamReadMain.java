package io.lazyq.it;

import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads a {@link PipeTable} from standard input with {@link LzqStream}, checks every value, and
 * reports rows, chunks, checksum, mismatches, the reader's buffer and this JVM's memory peaks.
 * Standard input is buffered as {@code lazyq cat -} buffers it; with {@code --skip-by-reading},
 * skips are served by reading, since {@code FileInputStream.skip} on a pipe throws "Illegal seek"
 * (see {@link StreamThroughPipeIT#skipsPaddingOnAPipe}).
 */
public final class StreamReadMain {
  private StreamReadMain() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    PipeTable.Checksum sum = new PipeTable.Checksum();
    float[] v = new float[PipeTable.WIDTH];
    long row = 0;
    long mismatches = 0;
    long maxBuffer = 0;
    InputStream in = new BufferedInputStream(System.in, 1 << 16);
    if (List.of(args).contains("--skip-by-reading")) {
      in = new SkipByReading(in);
    }
    try (LzqStream s = LzqStream.open(in, "<stdin>", StreamOptions.DEFAULTS)) {
      while (s.next()) {
        ColumnView ids = s.column(0);
        ColumnView values = s.column(1);
        for (int r = 0; r < ids.rows(); r++, row++) {
          int n = values.listLength(r);
          if (n != PipeTable.WIDTH || ids.getLong(r) != PipeTable.id(row)) {
            mismatches++;
            continue;
          }
          values.readFloats(values.listStart(r), n, v, 0);
          for (int i = 0; i < n; i++) {
            if (v[i] != PipeTable.value(row, i)) {
              mismatches++;
            }
          }
          sum.add(ids.getLong(r), v, n);
        }
        maxBuffer = Math.max(maxBuffer, s.bufferCapacity());
      }
      System.out.println("rows=" + s.rowsRead());
      System.out.println("chunks=" + s.chunksRead());
      System.out.println("bytes=" + s.position());
    }
    System.out.println("checksum=" + sum.value());
    System.out.println("mismatches=" + mismatches);
    System.out.println("buffer.bytes=" + maxBuffer);
    System.out.println("seconds=" + (System.nanoTime() - start) / 1e9);
    Reports.printMemory();
  }

  /** Skips by reading and discarding, which works on any stream. */
  private static final class SkipByReading extends FilterInputStream {
    private final byte[] scratch = new byte[8192];

    SkipByReading(InputStream in) {
      super(in);
    }

    @Override
    public long skip(long n) throws IOException {
      int r = read(scratch, 0, (int) Math.min(n, scratch.length));
      return Math.max(r, 0);
    }
  }
}
