package io.lazyq.table;

import io.lazyq.LazyQFormatException;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.PendingFile;
import io.lazyq.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The log of a table directory: {@code _lazyq_log/00000000000000000000.json} and up, one immutable
 * entry per version ({@link LogCodec}).
 *
 * <p>A commit creates the entry of the next version with {@link
 * io.lazyq.storage.OutputFile#createIfAbsent()}, which succeeds for exactly one writer per version
 * on every file system it supports: a hard link on a local disk, a rename that refuses to replace
 * on HDFS, a conditional upload on S3. A writer that loses reads the versions it missed and tries
 * the next one, as long as its change still applies: an append always does (unless the schema
 * changed), an overwrite never does, since it would remove files it did not see.
 */
public final class TableLog {
  /** The log's directory under the table's. */
  public static final String DIRECTORY = "_lazyq_log";
  private static final Pattern ENTRY = Pattern.compile("\\d{20}\\.json");

  private final String table;
  private final String directory;
  private final Storage storage;

  public TableLog(String table, Storage storage) {
    this.table = table;
    this.directory = Storage.resolve(table, DIRECTORY);
    this.storage = storage;
  }

  /** The name of a version's entry: the version, zero-padded so that names sort as versions. */
  public static String fileName(long version) {
    return String.format("%020d.json", version);
  }

  public String table() {
    return table;
  }

  /** Where a version's entry is. */
  public String location(long version) {
    return Storage.resolve(directory, fileName(version));
  }

  /** The latest version, or -1 when the table has no log yet. */
  public long latestVersion() throws IOException {
    TreeSet<Long> versions = versions();
    return versions.isEmpty() ? -1 : versions.last();
  }

  /** The latest version of the table, or the state before any when it has no log. */
  public Snapshot snapshot() throws IOException {
    return update(Snapshot.beforeLog(table, List.of()));
  }

  /** Every entry from version 0 to the latest. */
  public List<LogEntry> entries() throws IOException {
    return entriesAfter(-1);
  }

  /**
   * The table as of {@code version}, for readers of an earlier version than the latest.
   *
   * @throws IllegalArgumentException when the log has no such version, naming the versions it has
   */
  public Snapshot snapshotAt(long version) throws IOException {
    long latest = latestVersion();
    if (version < 0 || version > latest) {
      throw new IllegalArgumentException("lazyq: the table " + table + " has no version " + version + "; "
          + available(latest));
    }
    Snapshot s = Snapshot.beforeLog(table, List.of());
    for (LogEntry e : entriesBetween(-1, version)) {
      s = s.apply(e);
    }
    return s;
  }

  /**
   * The latest version committed at or before {@code millis} (since the epoch), as its commit info
   * records the time. Writers' clocks may disagree, so every version is looked at rather than the
   * first one after the time.
   *
   * @throws IllegalArgumentException when no version is that old, naming the versions there are
   */
  public long versionAt(long millis) throws IOException {
    List<LogEntry> entries = entries();
    long found = -1;
    for (LogEntry e : entries) {
      if (e.commitInfo().filter(c -> c.timestamp() <= millis).isPresent()) {
        found = e.version();
      }
    }
    if (found < 0) {
      String first = entries.isEmpty() ? "" : entries.get(0).commitInfo()
          .map(c -> "; its first version was committed at " + Instant.ofEpochMilli(c.timestamp())).orElse("");
      throw new IllegalArgumentException("lazyq: the table " + table + " has no version committed at or before "
          + Instant.ofEpochMilli(millis) + first + "; " + available(entries.size() - 1));
    }
    return found;
  }

  private String available(long latest) {
    return latest < 0 ? "it has no log, so no versions" : "versions available: 0 to " + latest;
  }

  /** {@code snapshot} brought up to the latest version. */
  public Snapshot update(Snapshot snapshot) throws IOException {
    Snapshot s = snapshot;
    for (LogEntry e : entriesAfter(snapshot.version())) {
      s = s.apply(e);
    }
    return s;
  }

  /**
   * Commits {@code change} as the version after {@code read}, or after the versions committed
   * meanwhile where the change still applies.
   *
   * @return the version committed
   * @throws CommitConflictException when another commit makes the change wrong; nothing is committed
   */
  public long commit(Snapshot read, TableChange change) throws IOException {
    Snapshot base = read;
    while (true) {
      String why = change.conflict(base);
      if (why != null) {
        throw conflict(change, read, base.version(), why);
      }
      long version = base.version() + 1;
      if (tryWrite(version, change.actions(base, System.currentTimeMillis()))) {
        return version;
      }
      List<LogEntry> missed = entriesAfter(base.version());
      if (missed.isEmpty()) {
        throw new IOException("lazyq: " + location(version) + " exists, yet the log of " + table + " does not list it");
      }
      if (change.overwrite()) {
        LogEntry winner = missed.get(0);
        String how = winner.commitInfo().map(c -> " (" + c.operation() + " by job " + c.jobId() + ")").orElse("");
        throw conflict(change, read, winner.version(), "version " + winner.version() + how
            + " was committed meanwhile, and an overwrite would remove files it did not read");
      }
      for (LogEntry e : missed) {
        base = base.apply(e);
      }
    }
  }

  /**
   * Starts the log of a table that has none, unless another writer does first: version 0 holds the
   * schema and the files that the table held before ({@code change}'s files). Once the log exists,
   * files moved into the directory stay invisible until a version adds them.
   *
   * @return the latest version, whoever started the log
   */
  public Snapshot create(TableChange change) throws IOException {
    if (latestVersion() < 0) {
      tryWrite(0, change.actions(Snapshot.beforeLog(table, List.of()), System.currentTimeMillis()));
    }
    return snapshot();
  }

  /** Writes a version's entry unless it exists; false when another writer created it first. */
  private boolean tryWrite(long version, List<LogAction> actions) throws IOException {
    byte[] bytes = LogCodec.encode(version, actions);
    try (PendingFile out = storage.output(location(version)).createIfAbsent()) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        out.channel().write(b);
      }
      out.commit();
      return true;
    } catch (FileAlreadyExistsException lost) {
      return false;
    }
  }

  private CommitConflictException conflict(TableChange change, Snapshot read, long version, String why) {
    return new CommitConflictException("lazyq: concurrent commit to " + table + ": job " + change.jobId() + "'s "
        + (change.overwrite() ? "overwrite" : "append") + " read version " + read.version() + ", and " + why
        + "; the job committed nothing", read.version(), version);
  }

  /** The entries after {@code version}, each checked; a missing version is an error, not the end. */
  private List<LogEntry> entriesAfter(long version) throws IOException {
    return entriesBetween(version, Long.MAX_VALUE);
  }

  /** The entries after {@code version} up to {@code last} (or the latest), each checked. */
  private List<LogEntry> entriesBetween(long version, long last) throws IOException {
    TreeSet<Long> versions = versions();
    List<LogEntry> entries = new ArrayList<>();
    if (versions.isEmpty()) {
      return entries;
    }
    long latest = versions.last();
    for (long v = version + 1; v <= Math.min(latest, last); v++) {
      if (!versions.contains(v)) {
        throw new LazyQFormatException(location(v), LazyQFormatException.NO_OFFSET, "version " + v + " of the table "
            + table + ": the entry is missing, though version " + latest + " exists");
      }
      entries.add(read(v));
    }
    return entries;
  }

  private LogEntry read(long version) throws IOException {
    String file = location(version);
    byte[] bytes;
    try (InputStream in = storage.input(file).newStream()) {
      bytes = in.readAllBytes();
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new LazyQFormatException(file, LazyQFormatException.NO_OFFSET, "version " + version + " of the table "
          + table + ": the entry is missing", e);
    }
    return new LogEntry(version, file, LogCodec.decode(table, version, file, bytes));
  }

  /** The versions whose entries the log directory lists; temporary files of commits do not count. */
  private TreeSet<Long> versions() throws IOException {
    TreeSet<Long> versions = new TreeSet<>();
    for (FileEntry f : storage.list(directory)) {
      if (!f.directory() && ENTRY.matcher(f.name()).matches()) {
        versions.add(Long.parseLong(f.name().substring(0, 20)));
      }
    }
    return versions;
  }
}
