package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;

/**
 * {@code spark.readStream.format("lazyq").load(dir)} over files without a table log: every
 * complete chunk of every {@code .lzq} file that listing the paths finds, read once. A micro-batch
 * is a range of chunks per file between two {@link ChunkOffset}s.
 *
 * <p>On a local disk complete chunks are found from their frames ({@link ChunkFrames}), so files
 * still being appended to stream chunk by chunk and need no footer until they are closed; each
 * partition maps its file's range of chunks the same way ({@code LzqFile.openAppending}). On
 * remote storage a file is read once its footer is written, from the footer (one request, kept in
 * the footer cache): an object store shows an object only when it is whole, and HDFS shows a file
 * being written only up to what its writer last flushed, with a length that lags, so chunks cannot
 * be found there as they are written.
 */
final class ChunkMicroBatchStream implements MicroBatchStream, SupportsTriggerAvailableNow {
  private final LazyQReadConf conf;
  private final Schema schema;
  private final int[] columns;
  /** The end of the last micro-batch of a {@code Trigger.AvailableNow} run; null otherwise. */
  private ChunkOffset availableNow;
  /** Files whose footer is written: they will not change, so each is scanned once. */
  private final Map<String, FileChunks> finished = new HashMap<>();

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
    return ChunkBudget.of(conf);
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
   * within a file chunks go in order.
   */
  @Override
  public Offset latestOffset(Offset startOffset, ReadLimit limit) {
    ChunkOffset start = (ChunkOffset) startOffset;
    Map<String, FileChunks> now = available();
    ChunkBudget.Spending budget = ChunkBudget.from(limit).spend();
    Map<String, Integer> next = new TreeMap<>(start.files());
    List<String> pending = new ArrayList<>();
    for (Map.Entry<String, FileChunks> e : now.entrySet()) {
      if (end(e.getKey(), e.getValue()) > start.chunks(e.getKey())) {
        pending.add(e.getKey());
      }
    }
    while (!pending.isEmpty()) {
      for (Iterator<String> files = pending.iterator(); files.hasNext(); ) {
        String file = files.next();
        FileChunks chunks = now.get(file);
        int at = next.getOrDefault(file, 0);
        if (!budget.fits(chunks.frameBytes(at))) {
          return new ChunkOffset(next); // the next chunk does not fit: this micro-batch ends here
        }
        budget.take(chunks.frameBytes(at));
        next.put(file, at + 1);
        if (at + 1 == end(file, chunks)) {
          files.remove();
        }
      }
    }
    return new ChunkOffset(next);
  }

  /** How many of a file's chunks this stream may read now: all complete ones, or, for {@code AvailableNow}, those there were. */
  private int end(String file, FileChunks chunks) {
    return availableNow == null ? chunks.count() : Math.min(chunks.count(), availableNow.files().getOrDefault(file, 0));
  }

  @Override
  public InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
    ChunkOffset start = (ChunkOffset) startOffset;
    ChunkOffset end = (ChunkOffset) endOffset;
    List<InputPartition> parts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : end.files().entrySet()) {
      int from = start.chunks(e.getKey());
      if (e.getValue() > from) {
        parts.add(chunksNow(e.getKey()).group(from, e.getValue()));
      }
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
  private synchronized Map<String, FileChunks> available() {
    Map<String, FileChunks> files = new TreeMap<>();
    Storage storage = conf.storageConf().storage();
    for (FileEntry entry : TableFiles.list(conf.paths(), storage)) {
      boolean local = Storage.isLocal(entry.location());
      String key = local ? Storage.localPath(entry.location()).toAbsolutePath().toString() : entry.location();
      FileChunks chunks = finished.get(key);
      if (chunks == null) {
        chunks = local ? growing(key, entry, storage) : whole(entry, storage);
      }
      if (chunks != null) {
        files.put(key, chunks);
        if (chunks.finished()) {
          finished.put(key, chunks);
        }
      }
    }
    return files;
  }

  /** A local file's complete chunks, or null before it holds its header or when it is not a {@code .lzq} file. */
  private FileChunks growing(String path, FileEntry entry, Storage storage) {
    Path p = Paths.get(path);
    if (!begun(p) || !TableFiles.isLazyQ(entry, storage)) {
      return null;
    }
    ChunkFrames frames = scan(p);
    if (frames.head() != null) {
      TableFiles.checkSchema(schema, conf.paths().toString(), frames.head().schema(), path);
    }
    return FileChunks.of(path, frames);
  }

  /** A remote file's chunks from its footer, or null while it has none (or is no {@code .lzq} file). */
  private FileChunks whole(FileEntry entry, Storage storage) {
    if (!TableFiles.isLazyQ(entry, storage)) {
      return null;
    }
    try {
      DataFile file = DataFile.read(entry, storage);
      TableFiles.checkSchema(schema, conf.paths().toString(), file.metadata().schema(), file.location());
      return FileChunks.of(file);
    } catch (LazyQFormatException noFooterYet) {
      return null; // on HDFS, still being written: its footer tells when it is whole
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file's chunks as they are now, for planning a micro-batch whose offsets a checkpoint may have given. */
  private FileChunks chunksNow(String file) {
    FileChunks known;
    synchronized (this) {
      known = finished.get(file);
    }
    if (known != null) {
      return known;
    }
    if (Storage.isLocal(file)) {
      return FileChunks.of(file, scan(Paths.get(file)));
    }
    Storage storage = conf.storageConf().storage();
    try {
      FileEntry entry = storage.status(file).orElseThrow(() -> new IllegalStateException("lazyq: " + file
          + ", which the stream read chunks of, is gone"));
      return FileChunks.of(DataFile.read(entry, storage));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ChunkOffset counts(Map<String, FileChunks> files) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    files.forEach((file, chunks) -> counts.put(file, chunks.count()));
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
}
