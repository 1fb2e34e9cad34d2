package io.lazyq.spark;

import io.lazyq.storage.Storage;
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
 * What killed writes left in a table directory, and their removal. A write killed before its
 * commit leaves its staging directory ({@code _temporary/<job>/}), part files that it moved in but
 * never listed, or a temporary manifest ({@code ._lazyq_manifest.json.<random>.tmp}); readers never
 * see them, but they hold disk space.
 *
 * <p>Only what no write has touched for {@code minAge} counts as left over, since a write that is
 * still running looks the same: its staging directory grows, and its commit moves part files in
 * just before it lists them. Without a manifest every visible file is the table's, so only staging
 * directories and temporary files count.
 *
 * @param directory the table's directory
 * @param leftovers files and staging directories to delete, in the order found
 * @param bytes their size on disk
 */
public record TableVacuum(Path directory, List<Path> leftovers, long bytes) {
  public TableVacuum {
    leftovers = List.copyOf(leftovers);
  }

  /** Finds the leftovers of killed writes that nothing has modified for {@code minAge}; deletes nothing. */
  public static TableVacuum plan(Path directory, Duration minAge) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("lazyq: " + directory + " is not a table directory");
    }
    FileTime cutoff = FileTime.from(Instant.now().minus(minAge));
    Optional<Set<String>> listed = Manifest.read(directory.toString(), Storage.of(new Configuration())).map(TableVacuum::names);
    List<Path> found = new ArrayList<>();
    long bytes = 0;
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path p : entries.sorted().toList()) {
        String name = p.getFileName().toString();
        boolean leftover;
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
        } else if (!Files.isRegularFile(p) || name.equals(Manifest.NAME)) {
          leftover = false;
        } else if (name.startsWith(".") && name.endsWith(".tmp")) {
          leftover = true;
        } else {
          leftover = !TableFiles.isHidden(name) && listed.map(l -> !l.contains(name)).orElse(false);
        }
        if (leftover && Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
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
