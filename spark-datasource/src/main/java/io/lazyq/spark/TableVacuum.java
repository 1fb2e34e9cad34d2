package io.lazyq.spark;

import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction;
import io.lazyq.table.LogAction.RemoveFile;
import io.lazyq.table.LogEntry;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files of a table directory that nothing needs, and their removal: files that versions of the
 * {@link TableLog} removed longer than the retention ago (readers of older versions may still be
 * reading the others), and what killed writes left. A write killed before its commit leaves its
 * staging directory ({@code _temporary/<job>/}), part files that it moved in but no version lists,
 * or a temporary log entry or manifest ({@code .<name>.<random>.tmp}); readers never see them, but
 * they hold space. The directory is a local path or a URI of any file system {@link Storage} reaches.
 *
 * <p>Only what no write has touched for {@code minAge} counts as left over, since a write that is
 * still running looks the same: its staging directory grows, and its commit moves part files in
 * just before it lists them. Without a log or a manifest every visible file is the table's, so only
 * staging directories and temporary files count.
 *
 * @param directory the table's directory
 * @param leftovers files and staging directories to delete, in the order found
 * @param bytes their size
 */
public record TableVacuum(String directory, List<Leftover> leftovers, long bytes) {
  public TableVacuum {
    leftovers = List.copyOf(leftovers);
  }

  /**
   * A file or staging directory to delete.
   *
   * @param location where it is
   * @param name its path within the table, as the log names files ({@code day=1/part-0.lzq})
   * @param directory whether it is a directory, deleted with what it holds
   */
  public record Leftover(String location, String name, boolean directory) {}

  /** How long a removed file stays for the readers of older versions, unless told otherwise: as Delta's. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** {@link #plan(String, Storage, Duration, Duration)} with the default retention. */
  public static TableVacuum plan(String directory, Storage storage, Duration minAge) throws IOException {
    return plan(directory, storage, minAge, DEFAULT_RETENTION);
  }

  /**
   * Finds what no version removed less than {@code retention} ago needs, and the leftovers of
   * killed writes that nothing has modified for {@code minAge}; deletes nothing.
   */
  public static TableVacuum plan(String directory, Storage storage, Duration minAge, Duration retention)
      throws IOException {
    if (storage.status(directory).map(e -> !e.directory()).orElse(true)) {
      throw new IllegalArgumentException("lazyq: " + directory + " is not a table directory");
    }
    Instant now = Instant.now();
    long cutoff = now.minus(minAge).toEpochMilli();
    TableLog log = new TableLog(directory, storage);
    List<LogEntry> versions = log.entries();
    Optional<Set<String>> listed;
    Set<String> expired = new HashSet<>();
    if (versions.isEmpty()) {
      listed = Manifest.read(directory, storage).map(TableVacuum::names);
    } else {
      Set<String> needed = new HashSet<>();
      Snapshot latest = log.snapshot();
      long keepSince = now.minus(retention).toEpochMilli();
      for (LogEntry e : versions) { // from version 0, or from the checkpoint where the log was expired
        for (LogAction a : e.actions()) {
          if (a instanceof RemoveFile r && r.deletionTimestamp() >= keepSince) {
            needed.add(r.path());
          } else if (a instanceof RemoveFile r) {
            expired.add(r.path());
          }
        }
      }
      latest.files().forEach(f -> needed.add(f.path()));
      expired.removeAll(needed);
      listed = Optional.of(needed);
    }
    List<Leftover> found = new ArrayList<>();
    long bytes = 0;
    for (Named n : entries(storage, directory, "")) {
      FileEntry p = n.entry();
      String name = n.name();
      boolean leftover;
      long notSince = cutoff;
      if (name.equals(WriteJob.STAGING) && p.directory()) {
        leftover = false;
        for (FileEntry job : storage.list(p.location())) {
          List<FileEntry> tree = tree(storage, job);
          if (tree.stream().mapToLong(FileEntry::modified).max().orElse(0) < cutoff) {
            found.add(new Leftover(job.location(), name + "/" + job.name(), job.directory()));
            bytes += tree.stream().mapToLong(FileEntry::length).sum();
          }
        }
      } else if (name.equals(TableLog.DIRECTORY) && p.directory()) {
        leftover = false;
        for (FileEntry temp : storage.list(p.location())) {
          if (isTemporary(temp.name()) && temp.modified() < cutoff) {
            found.add(new Leftover(temp.location(), name + "/" + temp.name(), false));
            bytes += temp.length();
          }
        }
      } else if (p.directory() || name.equals(Manifest.NAME)) {
        leftover = false;
      } else if (expired.contains(name)) {
        leftover = true;
        notSince = Long.MAX_VALUE; // removed before the retention: its age does not matter
      } else if (isTemporary(p.name())) {
        leftover = true;
      } else {
        leftover = !TableFiles.isHidden(p.name()) && listed.map(l -> !l.contains(name)).orElse(false);
      }
      if (leftover && p.modified() < notSince) {
        found.add(new Leftover(p.location(), name, false));
        bytes += p.length();
      }
    }
    return new TableVacuum(directory, found, bytes);
  }

  /** Deletes the leftovers, and the staging directory once it is empty. */
  public void delete(Storage storage) throws IOException {
    for (Leftover l : leftovers) {
      storage.delete(l.location(), l.directory());
    }
    String staging = Storage.resolve(directory, WriteJob.STAGING);
    if (storage.status(staging).map(FileEntry::directory).orElse(false) && storage.list(staging).isEmpty()) {
      storage.delete(staging, false);
    }
  }

  private static boolean isTemporary(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(".tmp");
  }

  /** An entry of the table directory with its path in the table. */
  private record Named(FileEntry entry, String name) {}

  /** What the table directory holds, with the contents of its partition directories ({@code name=value}) in place of them. */
  private static List<Named> entries(Storage storage, String directory, String prefix) throws IOException {
    List<Named> all = new ArrayList<>();
    for (FileEntry e : storage.list(directory)) {
      if (e.directory() && !TableFiles.isHidden(e.name()) && e.name().indexOf('=') > 0) {
        all.addAll(entries(storage, e.location(), prefix + e.name() + "/"));
      } else {
        all.add(new Named(e, prefix + e.name()));
      }
    }
    return all;
  }

  /** An entry and everything under it: a running job's staging keeps changing somewhere inside. */
  private static List<FileEntry> tree(Storage storage, FileEntry root) throws IOException {
    List<FileEntry> all = new ArrayList<>(List.of(root));
    if (root.directory()) {
      for (FileEntry e : storage.list(root.location())) {
        all.addAll(tree(storage, e));
      }
    }
    return all;
  }

  private static Set<String> names(List<PartFile> files) {
    Set<String> names = new HashSet<>();
    files.forEach(f -> names.add(f.name()));
    return names;
  }
}
