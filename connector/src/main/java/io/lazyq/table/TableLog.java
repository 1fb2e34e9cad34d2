package io.lazyq.table;

import io.lazyq.LazyQFormatException;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.OutputFile;
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
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

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
 *
 * <p>Every {@code checkpointInterval} versions the committer also writes a checkpoint,
 * {@code <version>.checkpoint.json}: the whole version (protocol, metadata, files) in one file,
 * created only if absent, then {@code _last_checkpoint} ({@link CheckpointHint}). A reader starts
 * from the newest checkpoint that reads intact and replays only the entries after it, so reading
 * the latest version costs at most {@code checkpointInterval + 1} files however long the log is.
 * Checkpoints are never needed for correctness: a missing or damaged one falls back to an older one
 * or to replaying from version 0, and {@link #checkCheckpoints()} reports the damage. Once a
 * checkpoint covers them, {@link #expire(long)} deletes the entries before it.
 *
 * <p>A listing of the log's directory only says where to start: a store's LIST may omit objects
 * that exist (s3proxy over a directory omits some while others are being uploaded beside them;
 * Delta's readers meet the same with lagging listings). So a version is there when its entry
 * exists, whatever the listing says: after the last version listed the next ones are probed by
 * name until one is absent, version 0 is probed where the listing starts later, and a version
 * between is read by name. The committer's put-if-absent on the next version decides races anyway.
 */
public final class TableLog {
  /** The log's directory under the table's. */
  public static final String DIRECTORY = "_lazyq_log";
  /** The name of the hint to the latest checkpoint, in the log's directory. */
  public static final String LAST_CHECKPOINT = "_last_checkpoint";
  /** Versions between checkpoints unless told otherwise: as Delta's. */
  public static final int DEFAULT_CHECKPOINT_INTERVAL = 10;
  private static final Pattern ENTRY = Pattern.compile("\\d{20}\\.json");
  private static final Pattern CHECKPOINT = Pattern.compile("\\d{20}\\.checkpoint\\.json");

  private final String table;
  private final String directory;
  private final Storage storage;
  private final int checkpointInterval;
  private final AtomicLong filesRead = new AtomicLong();

  /** The log of {@code table}, checkpointed every {@link #DEFAULT_CHECKPOINT_INTERVAL} versions. */
  public TableLog(String table, Storage storage) {
    this(table, storage, DEFAULT_CHECKPOINT_INTERVAL);
  }

  /** The log of {@code table}, whose commits write a checkpoint every {@code checkpointInterval} versions. */
  public TableLog(String table, Storage storage, int checkpointInterval) {
    if (checkpointInterval < 1) {
      throw new IllegalArgumentException("lazyq: a checkpoint interval is at least 1 version, not " + checkpointInterval);
    }
    this.table = table;
    this.directory = Storage.resolve(table, DIRECTORY);
    this.storage = storage;
    this.checkpointInterval = checkpointInterval;
  }

  /** The name of a version's entry: the version, zero-padded so that names sort as versions. */
  public static String fileName(long version) {
    return String.format("%020d.json", version);
  }

  /** The name of a version's checkpoint. */
  public static String checkpointName(long version) {
    return String.format("%020d.checkpoint.json", version);
  }

  public String table() {
    return table;
  }

  /**
   * How many files of the log (entries, checkpoints, the hint) this object has read so far: what
   * finding a version costs in storage requests, besides one listing of the log's directory and the
   * probe for the version after the last one listed.
   */
  public long filesRead() {
    return filesRead.get();
  }

  /** Where a version's entry is. */
  public String location(long version) {
    return Storage.resolve(directory, fileName(version));
  }

  /** Where a version's checkpoint is. */
  public String checkpointLocation(long version) {
    return Storage.resolve(directory, checkpointName(version));
  }

  /** The latest version, or -1 when the table has no log yet. */
  public long latestVersion() throws IOException {
    return listing().latest();
  }

  /** The latest version of the table, or the state before any when it has no log. */
  public Snapshot snapshot() throws IOException {
    Listing listing = listing();
    return replay(start(listing, listing.latest()), listing, listing.latest());
  }

  /**
   * Every entry the log holds, from version 0, or from the checkpoint before which {@link
   * #expire(long)} deleted them, to the latest.
   */
  public List<LogEntry> entries() throws IOException {
    Listing listing = listing();
    return entriesBetween(listing, listing.first() - 1, Long.MAX_VALUE);
  }

  /**
   * The table as of {@code version}, for readers of an earlier version than the latest.
   *
   * @throws IllegalArgumentException when the log has no such version, naming the versions it has
   */
  public Snapshot snapshotAt(long version) throws IOException {
    Listing listing = listing();
    if (version < listing.first() || version > listing.latest()) {
      throw new IllegalArgumentException("lazyq: the table " + table + " has no version " + version
          + (version >= 0 && version < listing.first() ? " any more: its log was expired up to its checkpoint of version "
              + listing.first() : "") + "; " + available(listing.first(), listing.latest()));
    }
    return replay(start(listing, version), listing, version);
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
          + Instant.ofEpochMilli(millis) + first + "; " + (entries.isEmpty() ? available(0, -1)
          : available(entries.get(0).version(), entries.get(entries.size() - 1).version())));
    }
    return found;
  }

  private String available(long first, long latest) {
    return latest < 0 ? "it has no log, so no versions" : "versions available: " + first + " to " + latest;
  }

  /**
   * The entry of {@code version}, read by its name, or empty when no writer has committed it yet.
   * A reader that follows the table asks for the version after the last it read: one request,
   * and no listing of the log, which on object stores is slower than a read by name. Only a miss
   * lists the log, to tell a version still to come from one that is gone.
   *
   * @throws LazyQFormatException when the entry is missing though later versions exist (expired or
   *     deleted), naming the table and the version
   */
  public Optional<LogEntry> entry(long version) throws IOException {
    Optional<LogEntry> entry = readIfPresent(version);
    if (entry.isPresent()) {
      return entry;
    }
    Listing listing = listing();
    if (listing.latest() <= version) {
      return Optional.empty();
    }
    // Committed between the read and the listing, together with later versions?
    return Optional.of(readIfPresent(version).orElseThrow(() -> missing(listing, version)));
  }

  private Optional<LogEntry> readIfPresent(long version) throws IOException {
    String file = location(version);
    byte[] bytes;
    try {
      bytes = readAll(file);
    } catch (FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(new LogEntry(version, file, LogCodec.decode(table, version, file, bytes)));
  }

  /** {@code snapshot} brought up to the latest version. */
  public Snapshot update(Snapshot snapshot) throws IOException {
    Listing listing = listing();
    if (snapshot.version() + 1 < listing.first()) {
      return replay(start(listing, listing.latest()), listing, listing.latest()); // the entries it lacks expired
    }
    return replay(snapshot, listing, listing.latest());
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
      List<LogAction> actions = change.actions(base, System.currentTimeMillis());
      if (tryWrite(version, actions)) {
        if (version > 0 && version % checkpointInterval == 0) {
          checkpoint(base.apply(new LogEntry(version, location(version), actions)));
        }
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
    return write(storage.output(location(version)), true, LogCodec.encode(version, actions));
  }

  /** Writes a file whole, unless {@code ifAbsent} and it exists; false then. */
  private static boolean write(OutputFile file, boolean ifAbsent, byte[] bytes) throws IOException {
    try (PendingFile out = ifAbsent ? file.createIfAbsent() : file.create()) {
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
    return entriesBetween(listing(), version, Long.MAX_VALUE);
  }

  /** The entries after {@code version} up to {@code last} (or the latest), each checked. */
  private List<LogEntry> entriesBetween(Listing listing, long version, long last) throws IOException {
    List<LogEntry> entries = new ArrayList<>();
    for (long v = version + 1; v <= Math.min(listing.latest(), last); v++) {
      entries.add(read(listing, v));
    }
    return entries;
  }

  /** {@code start} brought up to {@code last} with the entries after it. */
  private Snapshot replay(Snapshot start, Listing listing, long last) throws IOException {
    Snapshot s = start;
    for (long v = start.version() + 1; v <= last; v++) {
      s = s.apply(read(listing, v));
    }
    return s;
  }

  /**
   * Where reading version {@code target} starts: the newest checkpoint at or before it that reads
   * intact, else the table before its log. A damaged checkpoint is passed over here, since the
   * entries give the same version; {@link #checkCheckpoints()} reports it.
   */
  private Snapshot start(Listing listing, long target) throws IOException {
    NavigableSet<Long> usable = listing.checkpoints().subSet(listing.first(), true, Math.max(target, listing.first()), true);
    if (usable.isEmpty()) {
      if (listing.first() > 0) {
        throw missing(listing, 0); // unreachable unless the listing changed: first() is a checkpoint's version
      }
      return Snapshot.beforeLog(table, List.of());
    }
    Optional<CheckpointHint> hint = readHint();
    LazyQFormatException damage = null;
    for (long c : usable.descendingSet()) {
      try {
        return readCheckpoint(c, hint);
      } catch (LazyQFormatException e) {
        damage = damage == null ? e : damage;
      }
    }
    if (listing.first() > 0) {
      throw damage; // the entries before it expired: nothing else gives the version
    }
    return Snapshot.beforeLog(table, List.of());
  }

  /**
   * Writes the checkpoint of {@code version} and then the hint naming it. A failure leaves the
   * commit as it is, since readers replay the entries instead; a checkpoint another writer created
   * first holds the same version, so the hint is that writer's to write.
   */
  private void checkpoint(Snapshot version) {
    byte[] bytes = LogCodec.encodeCheckpoint(version);
    try {
      if (!write(storage.output(checkpointLocation(version.version())), true, bytes)) {
        return;
      }
      CRC32 crc = new CRC32();
      crc.update(bytes);
      CheckpointHint hint = new CheckpointHint(version.version(), bytes.length, version.files().size(), crc.getValue());
      write(storage.output(Storage.resolve(directory, LAST_CHECKPOINT)), false, LogCodec.encodeHint(hint));
    } catch (IOException | RuntimeException e) {
      // the version is committed; its checkpoint only saves readers work
    }
  }

  private Snapshot readCheckpoint(long version, Optional<CheckpointHint> hint) throws IOException {
    String file = checkpointLocation(version);
    byte[] bytes = readLogFile(file, version, "checkpoint");
    if (hint.isPresent() && hint.get().version() == version) {
      CRC32 crc = new CRC32();
      crc.update(bytes);
      if (bytes.length != hint.get().size() || crc.getValue() != hint.get().crc32()) {
        throw new LazyQFormatException(file, LazyQFormatException.NO_OFFSET, "version " + version + " of the table "
            + table + ": the checkpoint holds " + bytes.length + " bytes of CRC-32 " + Long.toHexString(crc.getValue())
            + "; " + LAST_CHECKPOINT + " records " + hint.get().size() + " bytes of CRC-32 "
            + Long.toHexString(hint.get().crc32()));
      }
    }
    return LogCodec.decodeCheckpoint(table, version, file, bytes);
  }

  private Optional<CheckpointHint> readHint() throws IOException {
    try {
      return LogCodec.decodeHint(readAll(Storage.resolve(directory, LAST_CHECKPOINT)));
    } catch (FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Checks every checkpoint against the entries: that it reads intact, and holds exactly the
   * version that replaying the entries gives. Damage in the entries themselves throws.
   *
   * @return a problem per damaged checkpoint, naming its file; empty when all are intact
   */
  public List<LazyQFormatException> checkCheckpoints() throws IOException {
    Listing listing = listing();
    List<LazyQFormatException> problems = new ArrayList<>();
    Optional<CheckpointHint> hint = readHint();
    Snapshot s = listing.first() > 0 ? readCheckpoint(listing.first(), hint) : Snapshot.beforeLog(table, List.of());
    for (long v = s.version() + 1; v <= listing.latest(); v++) {
      s = s.apply(read(listing, v));
      if (listing.checkpoints().contains(v)) {
        try {
          Snapshot c = readCheckpoint(v, hint);
          if (!c.files().equals(s.files()) || !c.metadata().equals(s.metadata())) {
            problems.add(new LazyQFormatException(checkpointLocation(v), LazyQFormatException.NO_OFFSET, "version "
                + v + " of the table " + table + ": the checkpoint holds " + c.files().size()
                + " files, and the entries give " + s.files().size() + (c.files().size() == s.files().size()
                    ? " others or other metadata" : "")));
          }
        } catch (LazyQFormatException e) {
          problems.add(e);
        }
      }
    }
    return problems;
  }

  /**
   * Deletes the entries and checkpoints before the newest checkpoint whose version was committed
   * before {@code keepSince} (ms since the epoch), as Delta's log retention does: every version
   * committed since stays readable, and so does the version that was the latest at
   * {@code keepSince}. Oldest first, so that an interrupted expiry leaves a log without gaps.
   *
   * @return the files deleted
   */
  public List<String> expire(long keepSince) throws IOException {
    Listing listing = listing();
    Optional<CheckpointHint> hint = readHint();
    for (long c : listing.checkpoints().headSet(listing.latest(), true).descendingSet()) {
      if (c <= listing.first()) {
        break;
      }
      boolean old = read(listing, c).commitInfo().filter(i -> i.timestamp() < keepSince).isPresent();
      try {
        if (!old) {
          continue;
        }
        readCheckpoint(c, hint);
      } catch (LazyQFormatException damaged) {
        continue;
      }
      List<String> deleted = new ArrayList<>();
      for (long v : listing.versions().headSet(c, false)) {
        deleteLogFile(location(v), deleted);
      }
      for (long v : listing.checkpoints().headSet(c, false)) {
        deleteLogFile(checkpointLocation(v), deleted);
      }
      return deleted;
    }
    return List.of();
  }

  private void deleteLogFile(String file, List<String> deleted) throws IOException {
    if (storage.delete(file, false)) {
      deleted.add(file);
    }
  }

  private LazyQFormatException missing(Listing listing, long version) {
    return new LazyQFormatException(location(version), LazyQFormatException.NO_OFFSET, "version " + version
        + " of the table " + table + ": the entry is missing, though version " + listing.latest() + " exists"
        + (version < listing.first() ? " (the log was expired up to its checkpoint of version " + listing.first()
            + ")" : ""));
  }

  /** A version's entry, read by name whether or not the listing had it; missing is an error naming it. */
  private LogEntry read(Listing listing, long version) throws IOException {
    return readIfPresent(version).orElseThrow(() -> missing(listing, version));
  }


  /** A version's entry or checkpoint, whole; missing is an error naming it. */
  private byte[] readLogFile(String file, long version, String what) throws IOException {
    try {
      return readAll(file);
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new LazyQFormatException(file, LazyQFormatException.NO_OFFSET, "version " + version + " of the table "
          + table + ": the " + what + " is missing", e);
    }
  }

  private byte[] readAll(String file) throws IOException {
    filesRead.incrementAndGet();
    try (InputStream in = storage.input(file).newStream()) {
      return in.readAllBytes();
    }
  }

  /**
   * The entries and checkpoints that the log directory lists, with the versions that exist beyond
   * it: those after the last one listed, and version 0 where the listing starts later and it
   * exists (then nothing was expired, since expiry deletes oldest first). Temporary files of
   * commits do not count.
   */
  private Listing listing() throws IOException {
    TreeSet<Long> versions = new TreeSet<>();
    TreeSet<Long> checkpoints = new TreeSet<>();
    for (FileEntry f : storage.list(directory)) {
      if (!f.directory() && ENTRY.matcher(f.name()).matches()) {
        versions.add(Long.parseLong(f.name().substring(0, 20)));
      } else if (!f.directory() && CHECKPOINT.matcher(f.name()).matches()) {
        checkpoints.add(Long.parseLong(f.name().substring(0, 20)));
      }
    }
    for (long v = versions.isEmpty() ? 0 : versions.last() + 1; exists(location(v)); v++) {
      versions.add(v);
    }
    if (!versions.isEmpty() && versions.first() > 0 && exists(location(0))) {
      versions.add(0L);
    }
    return new Listing(versions, checkpoints);
  }

  private boolean exists(String file) throws IOException {
    return storage.status(file).isPresent();
  }

  /**
   * What one listing of the log found.
   *
   * @param versions the versions that have an entry
   * @param checkpoints the versions that have a checkpoint
   */
  private record Listing(TreeSet<Long> versions, TreeSet<Long> checkpoints) {
    long latest() {
      return versions.isEmpty() ? -1 : versions.last();
    }

    /**
     * The first version readable: 0, or where the log was expired, the first checkpoint from which
     * entries follow. Entries before it are what an interrupted expiry left, with nothing to start from.
     */
    long first() {
      if (versions.isEmpty() || versions.first() == 0) {
        return 0;
      }
      Long c = checkpoints.ceiling(versions.first());
      return c == null || !versions.contains(c) ? 0 : c;
    }
  }
}
