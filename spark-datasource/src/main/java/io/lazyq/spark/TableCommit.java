package io.lazyq.spark;

import io.lazyq.format.LzqWriter;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    String dir = job.dir();
    Storage storage = job.storage();
    try {
      List<PartFile> previous = Manifest.read(dir, storage).orElse(null);
      if (previous == null) {
        previous = visibleFiles(dir, storage, messages);
        Manifest.write(dir, previous, job.jobId(), storage);
      }
      List<PartFile> written = new ArrayList<>();
      boolean staged = job.staged();
      for (PartFile f : messages) {
        if (f != null && f.name() != null) {
          if (staged) {
            storage.rename(Storage.resolve(job.staging(), f.name()), Storage.resolve(dir, f.name()));
          }
          written.add(f);
        }
      }
      List<PartFile> next = new ArrayList<>(job.overwrite() ? List.of() : previous);
      next.addAll(written);
      if (next.isEmpty()) {
        next.add(emptyFile(job));
      }
      Manifest.write(dir, next, job.jobId(), storage);
      if (job.overwrite()) {
        Set<String> kept = new HashSet<>();
        next.forEach(f -> kept.add(f.name()));
        for (PartFile old : previous) {
          if (!kept.contains(old.name())) {
            storage.delete(Storage.resolve(dir, old.name()), false);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lazyq: commit of job " + job.jobId() + " into " + dir + " failed", e);
    } finally {
      dropStaging(job);
    }
  }

  /**
   * Drops everything the job's tasks wrote; the table stays as it was, or absent as it was. On an
   * object store the parts written straight into the table directory go too: no manifest lists them.
   */
  static void abort(WriteJob job, PartFile[] messages) {
    dropStaging(job);
    Storage storage = job.storage();
    try {
      if (!job.staged() && messages != null) {
        for (PartFile f : messages) {
          if (f != null && f.name() != null) {
            storage.delete(Storage.resolve(job.dir(), f.name()), false);
          }
        }
      }
      if (job.newDirectory() && storage.list(job.dir()).isEmpty()) {
        storage.delete(job.dir(), false);
      }
    } catch (IOException leave) {
      // something else was put there meanwhile, or the store refused: leave it for vacuum
    }
  }

  /**
   * A table with no rows still has a schema: one empty file keeps it, as Spark's file sources do
   * for an empty DataFrame.
   */
  private static PartFile emptyFile(WriteJob job) throws IOException {
    String name = job.partName(0, 0);
    try (LzqWriter w = LzqWriter.create(job.storage().output(Storage.resolve(job.dir(), name)), job.fileSchema(),
        job.conf().writerOptions())) {
      w.commit();
      return new PartFile(name, 0, w.bytesWritten());
    }
  }

  /**
   * The files a reader lists in a directory without a manifest: regular files, not hidden, and not
   * this job's own parts (which an object store's tasks wrote there directly).
   */
  private static List<PartFile> visibleFiles(String dir, Storage storage, PartFile[] messages) throws IOException {
    Set<String> own = new HashSet<>();
    for (PartFile f : messages) {
      if (f != null && f.name() != null) {
        own.add(f.name());
      }
    }
    List<PartFile> files = new ArrayList<>();
    for (FileEntry e : storage.list(dir)) {
      if (!e.directory() && !TableFiles.isHidden(e.name()) && !own.contains(e.name())) {
        files.add(new PartFile(e.name(), -1, e.length()));
      }
    }
    return files;
  }

  private static void dropStaging(WriteJob job) {
    Storage storage = job.storage();
    try {
      storage.delete(job.staging(), true);
    } catch (IOException e) {
      throw new UncheckedIOException("lazyq: cannot delete the staging directory " + job.staging(), e);
    }
    String parent = Storage.resolve(job.dir(), WriteJob.STAGING);
    try {
      if (storage.status(parent).isPresent() && storage.list(parent).isEmpty()) {
        storage.delete(parent, false);
      }
    } catch (IOException concurrentJob) {
      // another job staged its files meanwhile; its commit removes the directory
    }
  }

  /** Deletes a local file, or a directory with everything under it; nothing where nothing is. */
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
