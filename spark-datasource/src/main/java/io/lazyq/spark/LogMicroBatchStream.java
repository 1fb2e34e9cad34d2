package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.Schema;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogEntry;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;

/**
 * {@code spark.readStream.format("lazyq").load(table)} over a table directory with a log, as Delta
 * streams a Delta table: first every file of the table as of the version current when the stream
 * starts, then the files that each later version adds, version by version, each chunk once
 * ({@link LogOffset}). New files are found from the log, never by listing the table: the stream
 * reads the entry of the version after the last it read, by name, and each new file's footer
 * (kept in the footer cache, so that the tasks' readers find it). Files of a log are whole when
 * committed, so they are read as batch scans read them, on any file system.
 *
 * <p>A version that is not a blind append (an overwrite, which removes files, or changes the
 * schema) fails the stream with an error naming the table and the version, since rows the stream
 * handed on may be gone, once the versions before it are read; with {@code skipChangeCommits}
 * such versions are passed over whole.
 */
final class LogMicroBatchStream implements MicroBatchStream, SupportsTriggerAvailableNow {
  private final LazyQReadConf conf;
  private final String table;
  private final Schema schema;
  private final int[] columns;
  private final Storage storage;
  private final TableLog log;
  /** The files to read of each version looked at and not yet committed, by version. */
  private final NavigableMap<Long, Version> versions = new TreeMap<>();
  /** The last version a {@code Trigger.AvailableNow} run reads; otherwise none. */
  private long lastVersion = Long.MAX_VALUE;

  /** The files a stream reads of one version, and each one's chunks once its footer is read. */
  private static final class Version {
    final boolean initial;
    final List<AddFile> files;
    final FileChunks[] chunks;

    Version(boolean initial, List<AddFile> files) {
      this.initial = initial;
      this.files = files;
      this.chunks = new FileChunks[files.size()];
    }
  }

  LogMicroBatchStream(LazyQReadConf conf, String table, Schema schema, int[] columns) {
    this.conf = conf;
    this.table = table;
    this.schema = schema;
    this.columns = columns;
    this.storage = conf.storageConf().storage();
    this.log = new TableLog(table, storage);
  }

  /** The table directory that the read's one path names, when it has a log: what this stream reads. */
  static Optional<String> tableOf(LazyQReadConf conf) {
    if (conf.paths().size() != 1) {
      return Optional.empty();
    }
    Storage storage = conf.storageConf().storage();
    try {
      Optional<FileEntry> dir = storage.status(conf.paths().get(0)).filter(FileEntry::directory);
      return dir.isPresent() && new TableLog(dir.get().location(), storage).latestVersion() >= 0
          ? Optional.of(dir.get().location()) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link LogOffset#BEGIN}: the first micro-batch chooses the version to start from. */
  @Override
  public Offset initialOffset() {
    return LogOffset.BEGIN;
  }

  @Override
  public Offset deserializeOffset(String json) {
    return LogOffset.parse(json, table);
  }

  @Override
  public ReadLimit getDefaultReadLimit() {
    return ChunkBudget.of(conf);
  }

  @Override
  public synchronized void prepareForTriggerAvailableNow() {
    lastVersion = latestVersion();
  }

  @Override
  public Offset latestOffset() {
    throw new UnsupportedOperationException("lazyq streams take a read limit: latestOffset(start, limit)");
  }

  /**
   * The position after as many more chunks than {@code start} as {@code limit} allows, in version
   * order. The first micro-batch starts from the latest version and ends within its files or just
   * after them, so that its end tells where it started ({@link LogOffset#startOf()}).
   */
  @Override
  public synchronized Offset latestOffset(Offset startOffset, ReadLimit limit) {
    ChunkBudget.Spending budget = ChunkBudget.from(limit).spend();
    LogOffset start = (LogOffset) startOffset;
    LogOffset at = start.begin() ? LogOffset.initial(latestVersion()) : start;
    while (true) {
      try {
        at = start.begin() ? settleWithin(at) : settle(at);
      } catch (ChangeCommit stop) {
        if (budget.started()) {
          return at; // the versions before it first; the next micro-batch fails
        }
        throw stop;
      }
      Version v = start.begin() && !at.initial() ? null : version(at);
      if (v == null) {
        return at;
      }
      long bytes = chunks(v, at).frameBytes(at.chunk());
      if (!budget.fits(bytes)) {
        return at;
      }
      budget.take(bytes);
      at = at.nextChunk();
    }
  }

  @Override
  public synchronized InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
    LogOffset end = (LogOffset) endOffset;
    LogOffset start = (LogOffset) startOffset;
    List<InputPartition> parts = new ArrayList<>();
    for (LogOffset at = settle(start.begin() ? end.startOf() : start); at.compareTo(end) < 0; ) {
      Version v = version(at);
      if (v == null) {
        throw new IllegalStateException("lazyq: version " + at.version() + " of the table " + table
            + " is missing, though the stream's offset " + end.json() + " is past it");
      }
      FileChunks file = chunks(v, at);
      boolean last = at.sameFile(end);
      parts.add(file.group(at.chunk(), last ? end.chunk() : file.count()));
      at = last ? end : settle(at.nextFile());
    }
    return parts.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new ReaderFactory(conf, StorageConf.broadcast(conf.storageConf()), schema, columns, false);
  }

  /** Forgets the versions before {@code end}: the stream never goes back. */
  @Override
  public synchronized void commit(Offset end) {
    versions.headMap(((LogOffset) end).version(), false).clear();
  }

  @Override
  public void stop() {}

  private long latestVersion() {
    try {
      return log.latestVersion();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #settle} within the start's files: past their end, the start of the next version, whatever it holds. */
  private LogOffset settleWithin(LogOffset at) {
    Version v = version(at);
    while (at.file() < v.files.size() && at.chunk() >= chunks(v, at).count()) {
      at = at.nextFile();
    }
    return at.file() < v.files.size() ? at : at.nextVersion();
  }

  /**
   * {@code at}, or where it points past the end of a file or of a version, the next chunk there is;
   * at a version not committed yet, its start.
   */
  private LogOffset settle(LogOffset at) {
    for (Version v = version(at); v != null; v = version(at)) {
      if (at.file() >= v.files.size()) {
        at = at.nextVersion();
      } else if (at.chunk() >= chunks(v, at).count()) {
        at = at.nextFile();
      } else {
        break;
      }
    }
    return at;
  }

  /** The files of the version that {@code at} lies in, or null where it is not committed yet (or, AvailableNow, after the run's last). */
  private Version version(LogOffset at) {
    Version v = versions.get(at.version());
    if (v != null && v.initial == at.initial()) {
      return v;
    }
    if (!at.initial() && at.version() > lastVersion) {
      return null;
    }
    try {
      if (at.initial()) {
        v = new Version(true, log.snapshotAt(at.version()).files());
      } else {
        Optional<LogEntry> entry = log.entry(at.version());
        if (entry.isEmpty()) {
          return null;
        }
        v = new Version(false, follow(entry.get()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    versions.put(at.version(), v);
    return v;
  }

  /** The files a stream reads of a version after its start: an append's, and of any other, none or a failure. */
  private List<AddFile> follow(LogEntry entry) {
    if (entry.onlyAdds()) {
      return entry.adds();
    }
    if (conf.skipChangeCommits()) {
      return List.of();
    }
    String what = entry.commitInfo().map(c -> "an " + c.operation().name().toLowerCase(java.util.Locale.ROOT)
        .replace('_', ' ') + " (job " + c.jobId() + ")").orElse("a change");
    throw new ChangeCommit("lazyq: version " + entry.version() + " of the table " + table + " is " + what
        + " that removes or replaces files, whose rows this stream may have read; a stream reads only versions that"
        + " add files. Set the option skipChangeCommits=true to pass over such versions (their added rows are not"
        + " read either), or start the stream again with a new checkpoint location");
  }

  /** The chunks of the file that {@code at} lies in, from its footer, read the first time. */
  private FileChunks chunks(Version v, LogOffset at) {
    FileChunks known = v.chunks[at.file()];
    if (known != null) {
      return known;
    }
    String location = Storage.resolve(table, v.files.get(at.file()).path());
    try {
      Optional<FileEntry> entry = storage.status(location).filter(f -> !f.directory());
      DataFile file = entry.isPresent() ? DataFile.read(entry.get(), storage) : null;
      if (file == null || file.open()) {
        throw new LazyQFormatException(location, LazyQFormatException.NO_OFFSET, (file == null ? "missing"
            : "without its footer") + ", though version " + at.version() + " of the table " + table + " holds it");
      }
      TableFiles.checkSchema(schema, "the table " + table + " as the stream started", file.metadata().schema(),
          location);
      v.chunks[at.file()] = FileChunks.of(file);
      return v.chunks[at.file()];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "lazyq stream of the table " + table;
  }

  /** A version that a stream cannot follow, since it removes or replaces files. */
  private static final class ChangeCommit extends IllegalStateException {
    ChangeCommit(String message) {
      super(message);
    }
  }
}
