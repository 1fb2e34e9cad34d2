package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.Field;
import io.lazyq.format.FileLayout;
import io.lazyq.format.FooterCache;
import io.lazyq.format.Schema;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.InputFile;
import io.lazyq.storage.RangeReader;
import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The files of a table, on any file system: each path is a file, a directory (its files, not recursively) or a glob.
 * Hidden files, whose names start with '.' or '_' (such as {@code _SUCCESS}), are ignored. A
 * directory with a {@link TableLog} holds exactly the files of its latest version, and one
 * written before the log, with a {@link Manifest}, exactly the files that lists, read as a directory or
 * through a glob, so that files being published by a write are never read before the write
 * commits; a file named on its own is read as it is. All files must share one schema, up to
 * nullability.
 */
final class TableFiles {
  private TableFiles() {}

  /**
   * Which version of a table directory to read: the latest, or one that time travel names by its
   * number or by a time.
   *
   * @param version the version, or -1
   * @param timestamp the time (ms since the epoch) the version read was the latest at, or {@link Long#MIN_VALUE}
   */
  record AsOf(long version, long timestamp) {
    static final AsOf LATEST = new AsOf(-1, Long.MIN_VALUE);

    boolean latest() {
      return version < 0 && timestamp == Long.MIN_VALUE;
    }

    /** The version of {@code dir}'s table that this names, or empty when it has no log. */
    Optional<Snapshot> snapshot(String dir, Storage storage) throws IOException {
      TableLog log = new TableLog(dir, storage);
      if (latest()) {
        Snapshot s = log.snapshot();
        return s.logged() ? Optional.of(s) : Optional.empty();
      }
      return Optional.of(log.snapshotAt(version >= 0 ? version : log.versionAt(timestamp)));
    }
  }

  /** The files that the paths name, in order, each once. */
  static List<FileEntry> list(List<String> paths, Storage storage) {
    return list(paths, storage, AsOf.LATEST);
  }

  /**
   * The files that the paths name, in order, each once; a table directory's as of {@code asOf}.
   * Only table directories have versions: a file named on its own or through a glob does not.
   */
  static List<FileEntry> list(List<String> paths, Storage storage, AsOf asOf) {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("lazyq needs a path: load(\"file.lzq\"), a directory or a glob");
    }
    Map<String, FileEntry> found = new LinkedHashMap<>();
    for (String p : paths) {
      for (FileEntry f : expand(p, storage, asOf)) {
        found.putIfAbsent(f.location(), f);
      }
    }
    return List.copyOf(found.values());
  }

  /**
   * Whether a file starts with the {@code .lzq} magic (tensor files are told apart by theirs). A
   * remote file is first asked for its footer, which the scan reads next anyway (kept in the
   * {@link FooterCache}), so that this costs no request of its own; a positioned read of its head,
   * never a stream over the whole object, tells the rest.
   */
  static boolean isLazyQ(FileEntry file, Storage storage) {
    try {
      InputFile input = storage.input(file);
      if (!Storage.isLocal(file.location())) {
        try {
          FooterCache.shared().read(input);
          return true;
        } catch (LazyQFormatException noFooter) {
          // damaged, still being written, or not a LazyQ file: the magic tells
        }
      }
      try (RangeReader reader = input.open()) {
        if (reader.length() < 8) {
          return false;
        }
        byte[] head = new byte[8];
        reader.read(0, 8).get(head);
        return FileLayout.hasMagic(head);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the footers of {@code .lzq} files, which must share one schema. */
  static List<DataFile> read(List<FileEntry> entries, Storage storage) {
    List<DataFile> files = new ArrayList<>(entries.size());
    for (FileEntry f : entries) {
      try {
        files.add(DataFile.read(f, storage));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    checkOneSchema(files);
    return files;
  }

  private static List<FileEntry> expand(String location, Storage storage, AsOf asOf) {
    try {
      List<FileEntry> matches = storage.glob(location);
      if (matches.isEmpty()) {
        throw new IllegalArgumentException("lazyq: path does not exist: " + location);
      }
      List<FileEntry> files = new ArrayList<>();
      Map<String, Optional<Set<String>>> manifests = new HashMap<>();
      for (FileEntry m : matches) {
        if (!asOf.latest() && !m.directory()) {
          throw new IllegalArgumentException("lazyq: versionAsOf and timestampAsOf read a table directory; "
              + m.location() + " is a file");
        }
        Optional<Snapshot> snapshot = m.directory() ? asOf.snapshot(m.location(), storage) : Optional.empty();
        if (snapshot.isPresent()) {
          files.addAll(inSnapshot(snapshot.get(), storage));
        } else if (m.directory() && storage.status(Storage.resolve(m.location(), Manifest.NAME)).isPresent()) {
          files.addAll(listed(m.location(), storage));
        } else if (m.directory()) {
          for (FileEntry f : storage.list(m.location())) {
            if (!f.directory() && !isHidden(f.name())) {
              files.add(f);
            }
          }
        } else if (!hasGlob(location) && matches.size() == 1) {
          files.add(m); // named on its own: read even if hidden or unlisted
        } else if (!isHidden(m.name()) && committed(m, manifests, storage)) {
          files.add(m);
        }
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException("lazyq: no data files under " + location);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema of a table's files: the first file's, nullable where any file's column is. */
  static Schema tableSchema(List<DataFile> files) {
    Schema first = files.get(0).metadata().schema();
    List<Field> fields = new ArrayList<>(first.fields());
    for (DataFile f : files) {
      for (int i = 0; i < fields.size(); i++) {
        Field x = fields.get(i);
        if (!x.nullable() && f.metadata().schema().field(i).nullable()) {
          fields.set(i, new Field(x.name(), x.type(), true, x.encoding()));
        }
      }
    }
    return new Schema(fields, first.metadata());
  }

  /** The directory that a write targets, qualified; it may not exist yet, and must not be a file. */
  static String writeDirectory(String location, Storage storage) {
    if (location == null) {
      throw new IllegalArgumentException("lazyq needs a path to write to: save(\"dir\")");
    }
    try {
      String dir = storage.qualify(location);
      if (storage.status(dir).filter(f -> !f.directory()).isPresent()) {
        throw new IllegalArgumentException("lazyq writes a directory of part files; " + dir + " is a file");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the paths name any data: false for a path that does not exist or an empty directory. */
  static boolean hasData(List<String> paths, Storage storage) {
    try {
      return !list(paths, storage).isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether a file that a glob matched belongs to its directory's table: held by the latest
   * version (or listed in the manifest), or in a directory without either. A glob over a table thus
   * sees what reading the directory sees, never the parts of a write in progress or of a killed one.
   */
  private static boolean committed(FileEntry file, Map<String, Optional<Set<String>>> manifests, Storage storage)
      throws IOException {
    String dir = parent(file.location());
    Optional<Set<String>> names = manifests.get(dir);
    if (names == null) {
      Optional<Snapshot> snapshot = snapshot(dir, storage);
      names = snapshot.isPresent()
          ? Optional.of(snapshot.get().files().stream().map(AddFile::path).collect(Collectors.toSet()))
          : Manifest.read(dir, storage).map(list -> list.stream().map(PartFile::name).collect(Collectors.toSet()));
      manifests.put(dir, names);
    }
    return names.map(n -> n.contains(file.name())).orElse(true);
  }

  /** The latest version of a directory's table, or empty when it has no log. */
  static Optional<Snapshot> snapshot(String dir, Storage storage) throws IOException {
    Snapshot s = new TableLog(dir, storage).snapshot();
    return s.logged() ? Optional.of(s) : Optional.empty();
  }

  /** The files of one version of a table, each of which must exist. */
  private static List<FileEntry> inSnapshot(Snapshot snapshot, Storage storage) throws IOException {
    Map<String, FileEntry> present = new HashMap<>();
    for (FileEntry f : storage.list(snapshot.table())) {
      present.put(f.name(), f);
    }
    List<FileEntry> files = new ArrayList<>();
    for (AddFile f : snapshot.files()) {
      FileEntry e = present.get(f.path());
      if (e == null || e.directory()) {
        throw new LazyQFormatException(Storage.resolve(snapshot.table(), f.path()), LazyQFormatException.NO_OFFSET,
            "missing, though version " + snapshot.version() + " of the table " + snapshot.table() + " holds it");
      }
      files.add(e);
    }
    return files;
  }

  /** The files that a directory's manifest lists, each of which must exist. */
  private static List<FileEntry> listed(String dir, Storage storage) throws IOException {
    Map<String, FileEntry> present = new HashMap<>();
    for (FileEntry f : storage.list(dir)) {
      present.put(f.name(), f);
    }
    List<FileEntry> files = new ArrayList<>();
    for (PartFile f : Manifest.read(dir, storage).orElseThrow()) {
      FileEntry e = present.get(f.name());
      if (e == null || e.directory()) {
        throw new IllegalStateException("lazyq: " + dir + " is incomplete: its manifest lists " + f.name()
            + ", which is missing");
      }
      files.add(e);
    }
    return files;
  }

  static String parent(String location) {
    int slash = location.lastIndexOf('/');
    return slash <= 0 ? location : location.substring(0, slash);
  }

  private static void checkOneSchema(List<DataFile> files) {
    Schema first = files.get(0).metadata().schema();
    for (DataFile f : files) {
      Schema s = f.metadata().schema();
      String difference = difference(first, s);
      if (difference != null) {
        throw new IllegalArgumentException("lazyq: all files of a table must share one schema; " + f.location()
            + " differs from " + files.get(0).location() + ": " + difference);
      }
    }
  }

  /**
   * What makes two schemas read differently, or null: names, types and whether quantized, in
   * order. Nullability may differ: a table's column is nullable when any file's is.
   */
  static String difference(Schema a, Schema b) {
    if (a.size() != b.size()) {
      return b.size() + " columns instead of " + a.size();
    }
    for (int i = 0; i < a.size(); i++) {
      Field x = a.field(i);
      Field y = b.field(i);
      if (!x.name().equals(y.name()) || !x.type().equals(y.type())
          || x.encoding().isQuantized() != y.encoding().isQuantized()) {
        return "column " + i + " is " + describe(y) + " instead of " + describe(x);
      }
    }
    return null;
  }

  private static String describe(Field f) {
    return "'" + f.name() + "' " + f.type() + (f.nullable() ? "" : " not null") + " " + f.encoding();
  }

  static boolean isHidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  private static boolean hasGlob(String location) {
    return location.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }
}
