package io.lazyq.spark;

import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction;
import io.lazyq.table.LogAction.RemoveFile;
import io.lazyq.table.LogEntry;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The files of a table directory that nothing needs, and their removal: files that versions of the
 * {@link TableLog} removed longer than the retention ago (readers of older versions may still be
 * reading the others), and what killed writes left. A write killed before its commit leaves its
 * staging directory ({@code _temporary/<job>/}), part files that it moved in but no version lists,
 * or a temporary log entry or manifest ({@code .<name>.<random>.tmp}); readers never see them, but
 * they hold disk space.
 *
 * <p>Only what no write has touched for {@code minAge} counts as left over, since a write that is
 * still running looks the same: its staging directory grows, and its commit moves part files in
 * just before it lists them. Without a log or a manifest every visible file is the table's, so only
 * staging directories and temporary files count.
 *
 * @param directory the table's directory
 * @param leftovers files and staging directories to delete, in the order found
 * @param bytes their size on disk
 */
public record TableVacuum(Path directory, List<Path> leftovers, long bytes) {
  public TableVacuum {
    leftovers = List.copyOf(leftovers);
  }

  /** How long a removed file stays for the readers of older versions, unless told otherwise: as Delta's. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** {@link #plan(Path, Duration, Duration)} with the default retention. */
  public static TableVacuum plan(Path directory, Duration minAge) throws IOException {
    return plan(directory, minAge, DEFAULT_RETENTION);
  }

  /**
   * Finds what no version removed less than {@code retention} ago needs, and the leftovers of
   * killed writes that nothing has modified for {@code minAge}; deletes nothing.
   */
  public static TableVacuum plan(Path directory, Duration minAge, Duration retention) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("lazyq: " + directory + " is not a table directory");
    }
    Instant now = Instant.now();
    FileTime cutoff = FileTime.from(now.minus(minAge));
    Storage storage = Storage.of(new Configuration());
    TableLog log = new TableLog(directory.toString(), storage);
    List<LogEntry> versions = log.entries();
    Optional<Set<String>> listed;
    Set<String> expired = new HashSet<>();
    if (versions.isEmpty()) {
      listed = Manifest.read(directory.toString(), storage).map(TableVacuum::names);
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
    List<Path> found = new ArrayList<>();
    long bytes = 0;
    {
      for (Path p : entries(directory)) {
        String fileName = p.getFileName().toString();
        // a file in partition directories goes by its path in the table, as the log names it
        String name = directory.relativize(p).toString().replace(java.io.File.separatorChar, '/');
        boolean leftover;
        FileTime notSince = cutoff;
        if (name.equals(WriteJob.STAGING) && Files.isDirectory(p)) {
          leftover = false;
          try (Stream<Path> jobs = Files.list(p)) {
            for (Path job : jobs.sorted().toList()) {
              if (newest(job).compareTo(cutoff) < 0) {
                found.add(job);
                bytes += size(job);
              }
            }
          }
        } else if (name.equals(TableLog.DIRECTORY) && Files.isDirectory(p)) {
          leftover = false;
          try (Stream<Path> inLog = Files.list(p)) {
            for (Path temp : inLog.sorted().toList()) {
              String n = temp.getFileName().toString();
              if (n.startsWith(".") && n.endsWith(".tmp") && Files.getLastModifiedTime(temp).compareTo(cutoff) < 0) {
                found.add(temp);
                bytes += Files.size(temp);
              }
            }
          }
        } else if (!Files.isRegularFile(p) || name.equals(Manifest.NAME)) {
          leftover = false;
        } else if (expired.contains(name)) {
          leftover = true;
          notSince = FileTime.from(Instant.MAX); // removed before the retention: its age does not matter
        } else if (fileName.startsWith(".") && fileName.endsWith(".tmp")) {
          leftover = true;
        } else {
          leftover = !TableFiles.isHidden(fileName) && listed.map(l -> !l.contains(name)).orElse(false);
        }
        if (leftover && Files.getLastModifiedTime(p).compareTo(notSince) < 0) {
          found.add(p);
          bytes += Files.size(p);
        }
      }
    }
    return new TableVacuum(directory, found, bytes);
  }

  /** Deletes the leftovers, and the staging directory once it is empty. */
  public void delete() throws IOException {
    for (Path p : leftovers) {
      TableCommit.deleteTree(p);
    }
    Path staging = directory.resolve(WriteJob.STAGING);
    if (Files.isDirectory(staging)) {
      try (Stream<Path> rest = Files.list(staging)) {
        if (rest.findAny().isEmpty()) {
          Files.deleteIfExists(staging);
        }
      }
    }
  }

  /** What the table directory holds, with the contents of its partition directories ({@code name=value}) in place of them. */
  private static List<Path> entries(Path directory) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path p : entries.sorted().toList()) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) && !TableFiles.isHidden(name) && name.indexOf('=') > 0) {
          all.addAll(entries(p));
        } else {
          all.add(p);
        }
      }
    }
    return all;
  }

  private static Set<String> names(List<PartFile> files) {
    Set<String> names = new HashSet<>();
    files.forEach(f -> names.add(f.name()));
    return names;
  }

  /** The latest modification anywhere under {@code root}: a running job's staging keeps changing. */
  private static FileTime newest(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      FileTime latest = FileTime.fromMillis(0);
      for (Path p : all.toList()) {
        FileTime t = Files.getLastModifiedTime(p);
        latest = t.compareTo(latest) > 0 ? t : latest;
      }
      return latest;
    }
  }

  private static long size(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      long total = 0;
      for (Path p : all.toList()) {
        total += Files.isRegularFile(p) ? Files.size(p) : 0;
      }
      return total;
    }
  }
}
