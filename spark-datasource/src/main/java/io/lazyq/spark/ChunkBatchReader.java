package io.lazyq.spark;

import io.lazyq.Closeables;
import io.lazyq.LazyQFormatException;
import io.lazyq.spark.metrics.BlocksDequantized;
import io.lazyq.spark.metrics.BytesFetched;
import io.lazyq.spark.metrics.BytesMapped;
import io.lazyq.spark.metrics.BytesStreamed;
import io.lazyq.spark.metrics.ConsumerWait;
import io.lazyq.spark.metrics.StorageRequests;
import io.lazyq.spark.metrics.StorageWait;
import io.lazyq.spark.metrics.TaskValue;
import io.lazyq.storage.MappingStats;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Reads a partition's chunks as columnar batches of at most {@code batchRows} rows; a batch never
 * spans two chunks. One {@link ColumnarBatch} and its vectors serve every batch. A scan that
 * selects no column (count(*)) gets one batch per chunk, with the chunk's row count from the index
 * and nothing mapped.
 */
final class ChunkBatchReader implements PartitionReader<ColumnarBatch> {
  private final ChunkSource source;
  private final ChunkVector[] vectors;
  private final PartitionConstants.Vectors constants;
  private final ColumnarBatch batch;
  private final int batchRows;
  private final ReadCounters counters;
  private final BufferAllocator allocator;
  private OpenChunk chunk;
  private int chunkRows;
  private int position;
  /** The current chunk's index in the partition's group, for its file's partition values. */
  private int chunkIndex = -1;
  private boolean closed;

  /**
   * @param constants the selected partition columns, after the data columns in each batch; null for none
   * @param allocator the task's allocator, which the vectors use; the reader closes it
   */
  ChunkBatchReader(ChunkSource source, ChunkVector[] vectors, PartitionConstants.Vectors constants, int batchRows,
      ReadCounters counters, BufferAllocator allocator) {
    this.source = source;
    this.vectors = vectors;
    this.constants = constants;
    org.apache.spark.sql.vectorized.ColumnVector[] all = constants == null ? vectors.clone()
        : Stream.concat(Arrays.stream(vectors), Arrays.stream(constants.vectors()))
            .toArray(org.apache.spark.sql.vectorized.ColumnVector[]::new);
    this.batch = new ColumnarBatch(all);
    this.batchRows = batchRows;
    this.counters = counters;
    this.allocator = allocator;
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> closeQuietly());
    }
  }

  @Override
  public boolean next() throws IOException {
    while (position >= chunkRows) {
      if (!nextChunk()) {
        return false;
      }
    }
    int n = vectors.length == 0 ? chunkRows - position : Math.min(batchRows, chunkRows - position);
    for (ChunkVector v : vectors) {
      v.window(position, n);
    }
    batch.setNumRows(n);
    position += n;
    return true;
  }

  /** Releases the current chunk and binds the next one; the time it takes is time the task waited. */
  private boolean nextChunk() throws IOException {
    long began = System.nanoTime();
    try {
      releaseChunk();
      chunk = source.next();
      if (chunk == null) {
        return false;
      }
      chunkRows = chunk.rows();
      position = 0;
      chunkIndex++;
      if (constants != null) {
        constants.bind(chunkIndex);
      }
      for (int i = 0; i < vectors.length; i++) {
        vectors[i].bind(chunk.column(i));
        float[] ahead = chunk.dequantized(i);
        if (ahead != null) {
          vectors[i].dequantized(ahead);
        }
      }
      return true;
    } catch (LazyQFormatException e) {
      // So that the query fails with the file, offset and problem first, not under Spark's "Job aborted".
      throw new MalformedFileException(e);
    } finally {
      counters.waitNanos += System.nanoTime() - began;
    }
  }

  private void releaseChunk() throws IOException {
    if (chunk != null) {
      OpenChunk c = chunk;
      chunk = null;
      c.close();
    }
  }

  @Override
  public ColumnarBatch get() {
    return batch;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    MappingStats storage = source.storageStats();
    return new CustomTaskMetric[] {
        new TaskValue(BytesMapped.NAME, source.bytesMapped()),
        new TaskValue(BlocksDequantized.NAME, counters.blocksDequantized),
        new TaskValue(BytesStreamed.NAME, source.bytesStreamed()),
        new TaskValue(ConsumerWait.NAME, counters.waitNanos / 1_000_000),
        new TaskValue(BytesFetched.NAME, storage.bytesFetched()),
        new TaskValue(StorageRequests.NAME, storage.requests()),
        new TaskValue(StorageWait.NAME, storage.waitNanos() / 1_000_000)};
  }

  /**
   * Releases the vectors, the chunk's views and files, then the task's allocator, each even when
   * one before it fails (the first failure is thrown, later ones suppressed); safe to call twice.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    // Every release runs even when an earlier one fails, so that a failing vector can neither keep
    // the chunk mapped nor turn into the allocator's leak report, which would hide the cause.
    List<Closeable> releases = new ArrayList<>(vectors.length + 3);
    for (ChunkVector v : vectors) {
      releases.add(v::release);
    }
    releases.add(this::releaseChunk);
    if (constants != null) {
      releases.add(constants::close);
    }
    releases.add(source);
    releases.add(allocator::close);
    Closeables.closeAll(releases);
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
