package io.lazyq.spark;

import io.lazyq.format.Schema;
import io.lazyq.stream.ChunkFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;

/**
 * {@code spark.readStream.format("lazyq").load(dir)}: every complete chunk of every {@code .lzq}
 * file under the paths, including files still being appended to, read once. A micro-batch is a
 * range of chunks per file between two {@link ChunkOffset}s; complete chunks are found from frame
 * headers ({@link ChunkFrames}), so a file needs no footer until it is closed. Each partition reads
 * one file's range front to back, reading past the chunks before it: simple, and bounded by one
 * chunk of memory, at the cost of re-reading a growing file's earlier chunks from the page cache.
 */
final class ChunkMicroBatchStream implements MicroBatchStream, SupportsTriggerAvailableNow {
  private final LazyQReadConf conf;
  private final Schema schema;
  private final int[] columns;
  /** The end of the last micro-batch of a {@code Trigger.AvailableNow} run; null otherwise. */
  private ChunkOffset availableNow;

  ChunkMicroBatchStream(LazyQReadConf conf, Schema schema, int[] columns) {
    this.conf = conf.streamed();
    this.schema = schema;
    this.columns = columns;
  }

  @Override
  public Offset initialOffset() {
    return ChunkOffset.START;
  }

  @Override
  public Offset deserializeOffset(String json) {
    return ChunkOffset.parse(json);
  }

  @Override
  public ReadLimit getDefaultReadLimit() {
    return conf.maxChunksPerTrigger() > 0 ? new MaxChunks(conf.maxChunksPerTrigger()) : ReadLimit.allAvailable();
  }

  @Override
  public void prepareForTriggerAvailableNow() {
    availableNow = available();
  }

  /** Without a start, the offset of every complete chunk: what {@code latestOffset(start, limit)} caps. */
  @Override
  public Offset latestOffset() {
    throw new UnsupportedOperationException("lazyq streams take a read limit: latestOffset(start, limit)");
  }

  /**
   * The offset after at most {@code limit} more chunks than {@code start}, taken file by file in
   * path order and chunk order within a file, so that an earlier file's new chunks go first.
   */
  @Override
  public Offset latestOffset(Offset startOffset, ReadLimit limit) {
    ChunkOffset start = (ChunkOffset) startOffset;
    ChunkOffset end = availableNow != null ? availableNow : available();
    long budget = limit instanceof MaxChunks m ? m.chunks() : Long.MAX_VALUE;
    Map<String, Integer> next = new LinkedHashMap<>(start.files());
    for (Map.Entry<String, Integer> e : end.files().entrySet()) {
      int from = start.chunks(e.getKey());
      int take = (int) Math.max(0, Math.min(budget, e.getValue() - from));
      budget -= take;
      if (take > 0 || next.containsKey(e.getKey())) {
        next.put(e.getKey(), from + take);
      }
    }
    return new ChunkOffset(next);
  }

  @Override
  public InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
    ChunkOffset start = (ChunkOffset) startOffset;
    ChunkOffset end = (ChunkOffset) endOffset;
    List<InputPartition> parts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : end.files().entrySet()) {
      int from = start.chunks(e.getKey());
      int to = e.getValue();
      if (to <= from) {
        continue;
      }
      int[] rows = scan(Paths.get(e.getKey())).rows();
      if (rows.length < to) {
        throw new IllegalStateException(e.getKey() + " holds " + rows.length + " complete chunks; the offset says "
            + to + ": the file was replaced or truncated");
      }
      int[] chunks = IntStream.range(from, to).toArray();
      parts.add(new ChunkGroup(new String[] {e.getKey()}, new int[chunks.length], chunks,
          Arrays.copyOfRange(rows, from, to)));
    }
    return parts.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new ReaderFactory(conf, schema, columns);
  }

  @Override
  public void commit(Offset end) {
    // Nothing to clean up: the files belong to their writers.
  }

  @Override
  public void stop() {}

  /** Every complete chunk now: the {@code .lzq} files under the paths that have begun, and their chunks. */
  private ChunkOffset available() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    var hadoop = SparkSession.active().sessionState().newHadoopConf();
    for (Path p : TableFiles.list(conf.paths(), hadoop)) {
      if (begun(p) && TableFiles.isLazyQ(p)) {
        counts.put(p.toAbsolutePath().toString(), scan(p).chunks());
      }
    }
    return new ChunkOffset(counts);
  }

  /** Whether a file holds at least its header: a writer may have only just created it. */
  private static boolean begun(Path p) {
    try {
      return Files.size(p) >= 8;
    } catch (IOException e) {
      return false;
    }
  }

  private static ChunkFrames scan(Path p) {
    try {
      return ChunkFrames.scan(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "lazyq stream " + conf.paths();
  }

  /** At most this many chunks per micro-batch. */
  private record MaxChunks(long chunks) implements ReadLimit {}
}
