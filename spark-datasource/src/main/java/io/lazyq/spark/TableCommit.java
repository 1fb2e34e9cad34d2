package io.lazyq.spark;

import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import io.lazyq.table.CommitConflictException;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.Metadata;
import io.lazyq.table.PartitionPaths;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableChange;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Publishes or drops a job's part files, on the driver.
 *
 * <p>Commit, in this order, so that a reader (or a crash) at any step sees one committed version of
 * the table, never a mix:
 *
 * <ol>
 *   <li>a table without a log gets version 0, which holds its schema (all that a job without rows
 *       leaves: the table reads as no rows of it) and which takes over the files it held (those its
 *       manifest lists, or all of them), so that the files moved in next stay invisible;
 *   <li>the committed part files move from the staging directory into the table's directory;
 *   <li>the next version of the {@link TableLog} adds them (and, for an overwrite, removes the
 *       files of the version it follows): the commit point. A writer that another beat to the
 *       version retries on the next one; an overwrite fails instead ({@link CommitConflictException});
 *   <li>the staging directory goes. Removed files stay for the readers of earlier versions, until
 *       {@link TableVacuum} finds them older than the retention.
 * </ol>
 *
 * A job killed before step 3 leaves the previous version; the part files it moved are in no
 * version, never read, and vacuum removes them.
 */
final class TableCommit {
  private TableCommit() {}

  static void commit(WriteJob job, PartFile[] messages) {
    String dir = job.dir();
    Storage storage = job.storage();
    TableLog log = new TableLog(dir, storage, job.conf().checkpointInterval());
    List<String> moved = new ArrayList<>();
    try {
      Metadata metadata = Metadata.of(job.fileSchema());
      if (!job.partitions().isEmpty()) {
        metadata = metadata.partitionedBy(job.partitions().logColumns());
      }
      Snapshot read = log.snapshot();
      if (!read.logged()) {
        read = log.create(new TableChange(job.jobId(), false, metadata, previousFiles(dir, storage, messages)));
      }
      List<AddFile> written = new ArrayList<>();
      boolean staged = job.staged();
      long now = System.currentTimeMillis();
      for (PartFile f : messages) {
        if (f != null && f.name() != null) {
          if (staged) {
            storage.rename(Storage.resolve(job.staging(), f.name()), Storage.resolve(dir, f.name()));
          }
          moved.add(f.name());
          written.add(new AddFile(f.name(), f.rows(), f.bytes(), f.partitionValues(), now, f.stats()));
        }
      }
      if (written.isEmpty() && !job.overwrite() && !job.replacePartitions() && read.metadata().compatible(metadata)) {
        return; // nothing to add: the log already holds the schema, which is what an empty table reads as
      }
      log.commit(read, job.replacePartitions() ? TableChange.replacePartitions(job.jobId(), metadata, written)
          : new TableChange(job.jobId(), job.overwrite(), metadata, written));
    } catch (CommitConflictException e) {
      deleteQuietly(dir, moved, storage); // in no version: nothing can read them
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("lazyq: commit of job " + job.jobId() + " into " + dir + " failed", e);
    } finally {
      dropStaging(job);
    }
  }

  /**
   * Drops everything the job's tasks wrote; the table stays as it was, or absent as it was. On an
   * object store the parts written straight into the table directory go too: no version holds them.
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
   * What a table without a log holds: the files its manifest lists, or else the files a reader
   * lists (regular, not hidden, and not this job's own parts, which an object store's tasks wrote
   * there directly).
   */
  private static List<AddFile> previousFiles(String dir, Storage storage, PartFile[] messages) throws IOException {
    Optional<List<PartFile>> manifest = Manifest.read(dir, storage);
    if (manifest.isPresent()) {
      return manifest.get().stream().map(f -> new AddFile(f.name(), f.rows(), f.bytes(), Map.of(), 0)).toList();
    }
    Set<String> own = new HashSet<>();
    for (PartFile f : messages) {
      if (f != null && f.name() != null) {
        own.add(f.name());
      }
    }
    List<AddFile> files = new ArrayList<>();
    for (PartitionDiscovery.Found f : PartitionDiscovery.files(dir, storage)) {
      if (!own.contains(f.path())) {
        files.add(new AddFile(f.path(), -1, f.file().length(), PartitionPaths.values(f.path()), 0));
      }
    }
    return files;
  }

  private static void deleteQuietly(String dir, List<String> names, Storage storage) {
    for (String name : names) {
      try {
        storage.delete(Storage.resolve(dir, name), false);
      } catch (IOException leave) {
        // vacuum removes files that no version lists
      }
    }
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
