package io.lazyq.spark;

import io.lazyq.format.ChunkFrames;
import io.lazyq.format.Schema;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * range of chunks per file between two {@link ChunkOffset}s; complete chunks are found from their
 * frames ({@link ChunkFrames}), so a file needs no footer until it is closed. Each partition maps
 * one file's range of chunks, found the same way ({@code LzqFile.openAppending}); with
 * {@code stream=true} it reads the file front to back instead, past the chunks before its range.
 */
final class ChunkMicroBatchStream implements MicroBatchStream, SupportsTriggerAvailableNow {
  private final LazyQReadConf conf;
  private final Schema schema;
  private final int[] columns;
  /** The end of the last micro-batch of a {@code Trigger.AvailableNow} run; null otherwise. */
  private ChunkOffset availableNow;
  /** Files whose footer is written: they will not change, so each is scanned once. */
  private final Map<String, ChunkFrames> finished = new HashMap<>();

  ChunkMicroBatchStream(LazyQReadConf conf, Schema schema, int[] columns) {
    this.conf = conf;
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
    if (conf.maxChunksPerTrigger() == 0 && conf.maxBytesPerTrigger() == 0) {
      return ReadLimit.allAvailable();
    }
    return new Budget(conf.maxChunksPerTrigger() > 0 ? conf.maxChunksPerTrigger() : Long.MAX_VALUE,
        conf.maxBytesPerTrigger() > 0 ? conf.maxBytesPerTrigger() : Long.MAX_VALUE);
  }

  @Override
  public void prepareForTriggerAvailableNow() {
    availableNow = counts(available());
  }

  /** Without a start, the offset of every complete chunk: what {@code latestOffset(start, limit)} caps. */
  @Override
  public Offset latestOffset() {
    throw new UnsupportedOperationException("lazyq streams take a read limit: latestOffset(start, limit)");
  }

  /**
   * The offset after as many more chunks than {@code start} as {@code limit} allows. Files take
   * turns, a chunk each in path order, so that a file that grows fast cannot hold back the others;
   * within a file chunks go in order. A micro-batch takes at least one chunk, however many bytes it
   * holds.
   */
  @Override
  public Offset latestOffset(Offset startOffset, ReadLimit limit) {
    ChunkOffset start = (ChunkOffset) startOffset;
    Map<String, ChunkFrames> now = available();
    Budget budget = limit instanceof Budget b ? b : new Budget(Long.MAX_VALUE, Long.MAX_VALUE);
    Map<String, Integer> next = new TreeMap<>(start.files());
    List<String> pending = new ArrayList<>();
    for (Map.Entry<String, ChunkFrames> e : now.entrySet()) {
      if (end(e.getKey(), e.getValue()) > start.chunks(e.getKey())) {
        pending.add(e.getKey());
      }
    }
    long taken = 0;
    long bytesLeft = budget.bytes();
    while (!pending.isEmpty()) {
      for (Iterator<String> files = pending.iterator(); files.hasNext(); ) {
        String file = files.next();
        ChunkFrames frames = now.get(file);
        int at = next.getOrDefault(file, 0);
        long bytes = frames.frameBytes(at);
        if (taken == budget.chunks() || taken > 0 && bytes > bytesLeft) {
          return new ChunkOffset(next); // the next chunk does not fit: this micro-batch ends here
        }
        bytesLeft -= Math.min(bytes, bytesLeft);
        taken++;
        next.put(file, at + 1);
        if (at + 1 == end(file, frames)) {
          files.remove();
        }
      }
    }
    return new ChunkOffset(next);
  }

  /** How many of a file's chunks this stream may read now: all complete ones, or, for {@code AvailableNow}, those there were. */
  private int end(String file, ChunkFrames frames) {
    return availableNow == null ? frames.chunks() : Math.min(frames.chunks(), availableNow.files().getOrDefault(file, 0));
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
    return new ReaderFactory(conf, StorageConf.broadcast(conf.storageConf()), schema, columns, true);
  }

  @Override
  public void commit(Offset end) {
    // Nothing to clean up: the files belong to their writers.
  }

  @Override
  public void stop() {}

  /** Every complete chunk now: the {@code .lzq} files under the paths that have begun, by path, and their chunks. */
  private synchronized Map<String, ChunkFrames> available() {
    Map<String, ChunkFrames> files = new TreeMap<>();
    Storage storage = conf.storageConf().storage();
    for (FileEntry entry : TableFiles.list(conf.paths(), storage)) {
      if (!Storage.isLocal(entry.location())) {
        throw new IllegalArgumentException("lazyq streams files that writers append to on a local disk; "
            + entry.location() + " is not on one");
      }
      Path p = Storage.localPath(entry.location());
      String path = p.toAbsolutePath().toString();
      ChunkFrames done = finished.get(path);
      if (done != null) {
        files.put(path, done);
      } else if (begun(p) && TableFiles.isLazyQ(entry, storage)) {
        ChunkFrames frames = scan(p);
        files.put(path, frames);
        if (frames.finished()) {
          finished.put(path, frames);
        }
      }
    }
    return files;
  }

  private static ChunkOffset counts(Map<String, ChunkFrames> files) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    files.forEach((file, frames) -> counts.put(file, frames.chunks()));
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

  /** At most this many chunks, and this many bytes of chunk frames, per micro-batch. */
  private record Budget(long chunks, long bytes) implements ReadLimit {}
}
