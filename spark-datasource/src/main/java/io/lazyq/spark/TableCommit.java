package io.lazyq.spark;

import io.lazyq.format.LzqWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Publishes or drops a job's part files, on the driver.
 *
 * <p>Commit, in this order, so that a reader (or a crash) at any step sees either the previous
 * table or the new one, never a mix:
 *
 * <ol>
 *   <li>a directory without a manifest gets one listing its current files, so that the files
 *       moved in next stay invisible;
 *   <li>the committed part files move from the staging directory into the table's directory;
 *   <li>the new manifest (previous files plus new ones, or new ones only for an overwrite)
 *       replaces the old one by atomic rename: the commit point;
 *   <li>an overwrite deletes the files that the old manifest listed; the staging directory goes.
 * </ol>
 *
 * A job killed before step 3 leaves the previous manifest, so the previous contents; the part
 * files it moved are listed nowhere and never read.
 */
final class TableCommit {
  private TableCommit() {}

  static void commit(WriteJob job, PartFile[] messages) {
    Path dir = job.directory();
    try {
      List<PartFile> previous = Manifest.read(dir).orElse(null);
      if (previous == null) {
        previous = visibleFiles(dir);
        Manifest.write(dir, previous, job.jobId());
      }
      List<PartFile> written = new ArrayList<>();
      for (PartFile f : messages) {
        if (f != null && f.name() != null) {
          Files.move(job.staging().resolve(f.name()), dir.resolve(f.name()), StandardCopyOption.ATOMIC_MOVE);
          written.add(f);
        }
      }
      List<PartFile> next = new ArrayList<>(job.overwrite() ? List.of() : previous);
      next.addAll(written);
      if (next.isEmpty()) {
        next.add(emptyFile(job));
      }
      Manifest.write(dir, next, job.jobId());
      if (job.overwrite()) {
        Set<String> kept = new HashSet<>();
        next.forEach(f -> kept.add(f.name()));
        for (PartFile old : previous) {
          if (!kept.contains(old.name())) {
            Files.deleteIfExists(dir.resolve(old.name()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lazyq: commit of job " + job.jobId() + " into " + dir + " failed", e);
    } finally {
      dropStaging(job);
    }
  }

  /** Drops everything the job's tasks wrote; the table stays as it was, or absent as it was. */
  static void abort(WriteJob job) {
    dropStaging(job);
    if (job.newDirectory()) {
      try {
        Files.deleteIfExists(job.directory());
      } catch (IOException notEmpty) {
        // something else was put there meanwhile: leave it
      }
    }
  }

  /**
   * A table with no rows still has a schema: one empty file keeps it, as Spark's file sources do
   * for an empty DataFrame.
   */
  private static PartFile emptyFile(WriteJob job) throws IOException {
    String name = job.partName(0, 0);
    try (LzqWriter w = LzqWriter.create(job.directory().resolve(name), job.fileSchema(), job.conf().writerOptions())) {
      w.commit();
      return new PartFile(name, 0, w.bytesWritten());
    }
  }

  /** The files a reader lists in a directory without a manifest: regular files, not hidden. */
  private static List<PartFile> visibleFiles(Path dir) throws IOException {
    List<PartFile> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted().toList()) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p) && !TableFiles.isHidden(name)) {
          files.add(new PartFile(name, -1, Files.size(p)));
        }
      }
    }
    return files;
  }

  private static void dropStaging(WriteJob job) {
    try {
      deleteTree(job.staging());
      Path parent = job.staging().getParent();
      try (Stream<Path> rest = Files.exists(parent) ? Files.list(parent) : Stream.empty()) {
        if (rest.findAny().isEmpty()) {
          Files.deleteIfExists(parent);
        }
      } catch (DirectoryNotEmptyException concurrentJob) {
        // another job staged its files meanwhile; its commit removes the directory
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lazyq: cannot delete the staging directory " + job.staging(), e);
    }
  }

  /** Deletes a file, or a directory with everything under it; nothing where nothing is. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
