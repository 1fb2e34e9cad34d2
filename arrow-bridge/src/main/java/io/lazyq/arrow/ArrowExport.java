package io.lazyq.arrow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;

/** Writes what an {@link ArrowReader} reads as Arrow IPC, or hands it over through the C Data Interface. */
public final class ArrowExport {
  static {
    QuantizedType.register();
  }

  private ArrowExport() {}

  /** What an export wrote. */
  public record Result(long batches, long rows, long bytes) {}

  /** Writes an Arrow IPC file ({@code .arrow}, random access), replacing {@code out}; does not close the reader. */
  public static Result writeFile(ArrowReader reader, Path out) throws IOException {
    try (FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      try (ArrowFileWriter writer = new ArrowFileWriter(root, reader, channel)) {
        return copy(reader, writer);
      }
    }
  }

  /** Writes an Arrow IPC stream to {@code out}, which stays open; does not close the reader. */
  public static Result writeStream(ArrowReader reader, OutputStream out) throws IOException {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    var channel = Channels.newChannel(out);
    try (ArrowStreamWriter writer = new ArrowStreamWriter(root, reader, channel)) {
      return copy(reader, writer);
    }
  }

  /**
   * Exports {@code reader} as a C stream. The consumer owns it from then on: its release callback
   * closes the reader (and the file under it).
   */
  public static void exportCData(BufferAllocator allocator, ArrowReader reader, ArrowArrayStream stream) {
    Data.exportArrayStream(allocator, reader, stream);
  }

  private static Result copy(ArrowReader reader, ArrowWriter writer) throws IOException {
    writer.start();
    long batches = 0;
    long rows = 0;
    while (reader.loadNextBatch()) {
      writer.writeBatch();
      batches++;
      rows += reader.getVectorSchemaRoot().getRowCount();
    }
    writer.end();
    return new Result(batches, rows, writer.bytesWritten());
  }
}
