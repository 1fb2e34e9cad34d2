package io.lazyq.table;

import io.lazyq.LazyQFormatException;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.Metadata;
import io.lazyq.table.LogAction.Protocol;
import io.lazyq.table.LogAction.RemoveFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table as of one version: its metadata and exactly its files. A scan that plans against a
 * snapshot reads these files whatever commits after, since later versions remove files from the
 * table, never from storage.
 *
 * @param table the table's directory
 * @param version the version, or -1 before the first
 * @param metadata the schema, or null before the first version
 * @param files the files, in the order they were added
 */
public record Snapshot(String table, long version, Metadata metadata, List<AddFile> files) {
  public Snapshot {
    files = List.copyOf(files);
  }

  /** The table before its first version: empty, or the files that it held before it had a log. */
  public static Snapshot beforeLog(String table, List<AddFile> files) {
    return new Snapshot(table, -1, null, files);
  }

  /** Whether the table has a log, so a version. */
  public boolean logged() {
    return version >= 0;
  }

  /** Total rows of the files, where each file's entry records them. */
  public long rows() {
    return files.stream().mapToLong(f -> Math.max(f.rows(), 0)).sum();
  }

  /** The next version: this one with the entry's actions applied. */
  public Snapshot apply(LogEntry entry) throws LazyQFormatException {
    if (entry.version() != version + 1) {
      throw new IllegalArgumentException("version " + entry.version() + " does not follow " + version);
    }
    Map<String, AddFile> live = new LinkedHashMap<>();
    if (version >= 0) {
      files.forEach(f -> live.put(f.path(), f));
    }
    Metadata meta = metadata;
    boolean protocol = false;
    for (LogAction a : entry.actions()) {
      if (a instanceof Protocol p) {
        if (p.minReaderVersion() > Protocol.CURRENT.minReaderVersion()) {
          throw problem(entry, "needs a reader of protocol " + p.minReaderVersion() + "; this lazyq reads "
              + Protocol.CURRENT.minReaderVersion() + ": upgrade it");
        }
        protocol = true;
      } else if (a instanceof Metadata m) {
        meta = m;
      } else if (a instanceof AddFile f) {
        live.put(f.path(), f);
      } else if (a instanceof RemoveFile r) {
        live.remove(r.path());
      }
    }
    if (entry.version() == 0 && (!protocol || meta == null)) {
      throw problem(entry, "the first entry lacks the protocol or the metadata");
    }
    return new Snapshot(table, entry.version(), meta, List.copyOf(live.values()));
  }

  private LazyQFormatException problem(LogEntry entry, String what) {
    return new LazyQFormatException(entry.file(), LazyQFormatException.NO_OFFSET, "version " + entry.version()
        + " of the table " + table + ": " + what);
  }
}
