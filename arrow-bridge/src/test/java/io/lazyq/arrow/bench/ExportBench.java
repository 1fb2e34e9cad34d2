package io.lazyq.arrow.bench;

import io.lazyq.arrow.ArrowExport;
import io.lazyq.arrow.ArrowReadOptions;
import io.lazyq.arrow.LzqArrowReader;
import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.quant.QuantType;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * Export throughput of one float column as an Arrow IPC stream into a null sink (no disk): a plain
 * column (zero-copy), a Q8_0 column dequantized per batch, and Arrow Java's own writer copying the
 * same floats into a reused {@link Float4Vector} batch by batch. Best of several runs, warm page cache.
 *
 * <p>{@code mvn -pl arrow-bridge -Pbench test-compile exec:exec [-Dbench.rows=50000000]}
 */
public final class ExportBench {
  private static final int BATCH = ArrowReadOptions.DEFAULT_BATCH_ROWS;

  public static void main(String[] args) throws Exception {
    int rows = Integer.getInteger("bench.rows", 50_000_000);
    int runs = Integer.getInteger("bench.runs", 5);
    Path dir = Files.createTempDirectory("lazyq-bench");
    float[] data = new float[rows];
    for (int i = 0; i < rows; i++) {
      data[i] = (float) Math.sin(i * 1e-3) * 100;
    }
    Path plain = write(dir.resolve("plain.lzq"), data, ColumnEncoding.PLAIN);
    Path q8 = write(dir.resolve("q8.lzq"), data, ColumnEncoding.quantized(QuantType.Q8_0));
    System.out.printf("rows=%,d batch=%,d runs=%d java=%s%n", rows, BATCH, runs, System.getProperty("java.version"));
    report("lazyq plain float32 (zero-copy)", rows, best(runs, () -> export(plain)));
    report("lazyq q8_0 dequantized", rows, best(runs, () -> export(q8)));
    report("arrow-java Float4Vector copy", rows, best(runs, () -> arrowOwn(data)));
    Files.delete(plain);
    Files.delete(q8);
    Files.delete(dir);
  }

  interface Run {
    void run() throws Exception;
  }

  private static long best(int runs, Run r) throws Exception {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      r.run();
      best = Math.min(best, System.nanoTime() - t);
    }
    return best;
  }

  private static void report(String what, int rows, long nanos) {
    double s = nanos / 1e9;
    System.out.printf("%-34s %8.1f M rows/s %6.2f GB/s float32 out  (%.3f s)%n", what, rows / s / 1e6,
        4.0 * rows / s / 1e9, s);
  }

  private static Path write(Path file, float[] data, ColumnEncoding encoding) throws Exception {
    Schema schema = Schema.of(Field.of("v", ColumnType.FLOAT32).withEncoding(encoding));
    try (LzqWriter w = LzqWriter.create(file, schema, WriterOptions.DEFAULTS)) {
      for (float f : data) {
        w.setFloat(0, f).endRow();
      }
      w.commit();
    }
    return file;
  }

  private static void export(Path file) throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        LzqArrowReader reader = LzqArrowReader.open(LzqFile.open(file, false), ArrowReadOptions.defaults(), allocator)) {
      ArrowExport.writeStream(reader, OutputStream.nullOutputStream());
    }
  }

  private static void arrowOwn(float[] data) throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        Float4Vector v = new Float4Vector("v", allocator);
        VectorSchemaRoot root = new VectorSchemaRoot(List.of(v));
        ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(OutputStream.nullOutputStream()))) {
      v.allocateNew(BATCH);
      w.start();
      for (int first = 0; first < data.length; first += BATCH) {
        int n = Math.min(BATCH, data.length - first);
        v.getValidityBuffer().setOne(0L, (long) (n + 7) / 8);
        v.getDataBuffer().nioBuffer(0, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(data, first, n);
        root.setRowCount(n);
        w.writeBatch();
      }
      w.end();
    }
  }
}
