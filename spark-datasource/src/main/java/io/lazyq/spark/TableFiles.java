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
import io.lazyq.table.PartitionPaths;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The files of a table, on any file system: each path is a file, a directory (its files, and
 * those of its Hive-style partition directories {@code name=value/}: {@link PartitionDiscovery}) or a glob.
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
    return listing(paths, storage, AsOf.LATEST, Discovery.DEFAULT).files();
  }

  /**
   * The files that the paths name, in order, each once, with their partition values; a table
   * directory's as of {@code asOf}. Only table directories have versions: a file named on its own
   * or through a glob does not.
   *
   * @throws IllegalArgumentException where the paths name tables of different partition columns
   */
  static Listing listing(List<String> paths, Storage storage, AsOf asOf, Discovery discovery) {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("lazyq needs a path: load(\"file.lzq\"), a directory or a glob");
    }
    Map<String, Map<String, String>> found = new LinkedHashMap<>();
    Map<String, FileEntry> entries = new LinkedHashMap<>();
    PartitionColumns partitions = null;
    String partitionsOf = null;
    for (String p : paths) {
      Listing l = expand(p, storage, asOf, discovery);
      if (partitions != null && !partitions.sameAs(l.partitions())) {
        throw new IllegalArgumentException("lazyq: " + partitionsOf + " is partitioned by " + partitions.schema()
            .simpleString() + " and " + p + " by " + l.partitions().schema().simpleString() + "; read them apart");
      }
      partitions = l.partitions();
      partitionsOf = p;
      for (int i = 0; i < l.files().size(); i++) {
        FileEntry f = l.files().get(i);
        entries.putIfAbsent(f.location(), f);
        found.putIfAbsent(f.location(), l.values().get(i));
      }
    }
    return new Listing(List.copyOf(entries.values()), List.copyOf(found.values()), partitions);
  }

  /**
   * Files of a table and each one's partition values (by column name, as strings, null for null;
   * empty for an unpartitioned table), in the same order.
   */
  record Listing(List<FileEntry> files, List<Map<String, String>> values, PartitionColumns partitions) {
    boolean partitioned() {
      return !partitions.isEmpty();
    }
  }

  /**
   * How directories without a log are read as partitioned tables: whether partition column types
   * are inferred ({@code spark.sql.sources.partitionColumnTypeInference.enabled}), and the time
   * zone of timestamp values.
   */
  record Discovery(boolean inferTypes, java.time.ZoneId zone) implements java.io.Serializable {
    static final Discovery DEFAULT = new Discovery(true, java.time.ZoneOffset.UTC);
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

  private static Listing expand(String location, Storage storage, AsOf asOf, Discovery discovery) {
    try {
      List<FileEntry> matches = storage.glob(location);
      if (matches.isEmpty()) {
        throw new IllegalArgumentException("lazyq: path does not exist: " + location);
      }
      List<FileEntry> files = new ArrayList<>();
      List<Map<String, String>> values = new ArrayList<>();
      PartitionColumns partitions = PartitionColumns.NONE;
      Map<String, Optional<Set<String>>> manifests = new HashMap<>();
      for (FileEntry m : matches) {
        if (!asOf.latest() && !m.directory()) {
          throw new IllegalArgumentException("lazyq: versionAsOf and timestampAsOf read a table directory; "
              + m.location() + " is a file");
        }
        Optional<Snapshot> snapshot = m.directory() ? asOf.snapshot(m.location(), storage) : Optional.empty();
        while (values.size() < files.size()) {
          values.add(Map.of());
        }
        int before = files.size();
        if (snapshot.isPresent()) {
          Snapshot s = snapshot.get();
          files.addAll(inSnapshot(s, storage));
          s.files().forEach(f -> values.add(f.partitionValues()));
          if (!s.metadata().partitionColumns().isEmpty()) {
            partitions = samePartitions(partitions, PartitionColumns.of(s.metadata().partitionSchema()), files, before);
          }
        } else if (m.directory() && storage.status(Storage.resolve(m.location(), Manifest.NAME)).isPresent()) {
          files.addAll(listed(m.location(), storage));
        } else if (m.directory()) {
          Map<String, List<String>> found = new LinkedHashMap<>();
          for (PartitionDiscovery.Found f : PartitionDiscovery.files(m.location(), storage)) {
            files.add(f.file());
            Map<String, String> v = PartitionPaths.values(f.path());
            values.add(v);
            v.forEach((k, x) -> found.computeIfAbsent(k, key -> new ArrayList<>()).add(x));
          }
          if (!found.isEmpty()) {
            partitions = samePartitions(partitions, PartitionColumns.infer(found, discovery.inferTypes(),
                discovery.zone()), files, before);
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
      while (values.size() < files.size()) {
        values.add(Map.of());
      }
      if (!partitions.isEmpty() && values.stream().anyMatch(Map::isEmpty)) {
        throw new IllegalArgumentException("lazyq: " + location + " mixes files of a partitioned table with others;"
            + " read them apart");
      }
      return new Listing(files, values, partitions);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The partition columns of the tables a glob matched, which must agree. */
  private static PartitionColumns samePartitions(PartitionColumns so, PartitionColumns next, List<FileEntry> files,
      int first) {
    if (!so.isEmpty() && !so.sameAs(next)) {
      throw new IllegalArgumentException("lazyq: " + files.get(first).location() + " is partitioned by "
          + next.schema().simpleString() + ", other files read with it by " + so.schema().simpleString()
          + "; read them apart");
    }
    return next;
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

  /**
   * Whether the paths name any data: false for a path that does not exist or an empty directory;
   * true for a table whose latest version holds no files, since its log gives the schema.
   */
  static boolean hasData(List<String> paths, Storage storage) {
    try {
      return !list(paths, storage).isEmpty();
    } catch (IllegalArgumentException e) {
      try {
        return emptyVersion(paths, storage, AsOf.LATEST).isPresent();
      } catch (IllegalArgumentException | UncheckedIOException notATable) {
        return false;
      }
    }
  }

  /**
   * The schema of the version that one table directory's path names, when that version holds no
   * files: a table created empty, or overwritten with no rows, reads as no rows of its log's schema.
   * Empty for anything else, which {@link #list} reads.
   */
  static Optional<Schema> emptyVersion(List<String> paths, Storage storage, AsOf asOf) {
    if (paths.size() != 1 || hasGlob(paths.get(0))) {
      return Optional.empty();
    }
    try {
      Optional<FileEntry> dir = storage.status(paths.get(0)).filter(FileEntry::directory);
      Optional<Snapshot> version = dir.isPresent() ? asOf.snapshot(dir.get().location(), storage) : Optional.empty();
      if (version.isEmpty() || !version.get().files().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(version.get().metadata().schema(version.get().table()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  /**
   * The files of one version of a table, each of which must exist: one listing per directory
   * (the table's, and each partition directory that the version has files in), and a look-up by
   * name for a file the listing lacks.
   */
  private static List<FileEntry> inSnapshot(Snapshot snapshot, Storage storage) throws IOException {
    Map<String, FileEntry> present = new HashMap<>();
    Set<String> listedDirs = new HashSet<>();
    List<FileEntry> files = new ArrayList<>();
    for (AddFile f : snapshot.files()) {
      int slash = f.path().lastIndexOf('/');
      String sub = slash < 0 ? "" : f.path().substring(0, slash + 1);
      if (listedDirs.add(sub)) {
        String listedDir = sub.isEmpty() ? snapshot.table()
            : Storage.resolve(snapshot.table(), sub.substring(0, sub.length() - 1));
        for (FileEntry e : storage.list(listedDir)) {
          present.put(sub + e.name(), e);
        }
      }
      String location = Storage.resolve(snapshot.table(), f.path());
      // a listing may omit a file that exists (an object store's LIST while uploads land): asked by name
      FileEntry e = present.containsKey(f.path()) ? present.get(f.path()) : storage.status(location).orElse(null);
      if (e == null || e.directory()) {
        throw new LazyQFormatException(location, LazyQFormatException.NO_OFFSET,
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
    for (DataFile f : files) {
      checkSchema(files.get(0).metadata().schema(), files.get(0).location(), f.metadata().schema(), f.location());
    }
  }

  /**
   * Fails where a file's schema reads differently from the table's.
   *
   * @param source what gave the table's schema, for the message: a file, or the table
   */
  static void checkSchema(Schema table, String source, Schema file, String location) {
    String difference = difference(table, file);
    if (difference != null) {
      throw new IllegalArgumentException("lazyq: all files of a table must share one schema; " + location
          + " differs from " + source + ": " + difference);
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
