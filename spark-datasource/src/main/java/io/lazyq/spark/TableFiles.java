package io.lazyq.spark;

import io.lazyq.format.Field;
import io.lazyq.format.FileLayout;
import io.lazyq.format.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * The files of a table: each path is a file, a directory (its files, not recursively) or a glob.
 * Hidden files, whose names start with '.' or '_' (such as {@code _SUCCESS}), are ignored. A
 * directory with a {@link Manifest} holds exactly the files it lists, read as a directory or
 * through a glob, so that files being published by a write are never read before the write
 * commits; a file named on its own is read as it is. All files must share one schema, up to
 * nullability.
 */
final class TableFiles {
  private TableFiles() {}

  /** The files that the paths name, in order, each once. */
  static List<Path> list(List<String> paths, Configuration hadoopConf) {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("lazyq needs a path: load(\"file.lzq\"), a directory or a glob");
    }
    Set<Path> found = new LinkedHashSet<>();
    for (String p : paths) {
      found.addAll(expand(p, hadoopConf));
    }
    return List.copyOf(found);
  }

  /** Whether a file starts with the {@code .lzq} magic (tensor files are told apart by theirs). */
  static boolean isLazyQ(Path file) {
    byte[] head = new byte[8];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(head, 0, 8) == 8 && FileLayout.hasMagic(head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the footers of {@code .lzq} files, which must share one schema. */
  static List<DataFile> read(List<Path> paths) {
    List<DataFile> files = new ArrayList<>(paths.size());
    for (Path p : paths) {
      try {
        files.add(DataFile.read(p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    checkOneSchema(files);
    return files;
  }

  private static List<Path> expand(String location, Configuration hadoopConf) {
    try {
      org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(location);
      FileSystem fs = pattern.getFileSystem(hadoopConf);
      if (!"file".equals(fs.getScheme())) {
        throw new IllegalArgumentException("lazyq reads local files; " + location + " is on " + fs.getUri());
      }
      FileStatus[] matches = fs.globStatus(pattern);
      if (matches == null || matches.length == 0) {
        throw new IllegalArgumentException("lazyq: path does not exist: " + location);
      }
      List<Path> files = new ArrayList<>();
      Map<Path, Optional<Set<String>>> manifests = new HashMap<>();
      for (FileStatus m : sorted(matches)) {
        if (m.isDirectory() && fs.exists(new org.apache.hadoop.fs.Path(m.getPath(), Manifest.NAME))) {
          files.addAll(listed(local(m)));
        } else if (m.isDirectory()) {
          for (FileStatus f : sorted(fs.listStatus(m.getPath()))) {
            if (f.isFile() && !isHidden(f)) {
              files.add(local(f));
            }
          }
        } else if (!hasGlob(location) && matches.length == 1) {
          files.add(local(m)); // named on its own: read even if hidden or unlisted
        } else if (!isHidden(m) && committed(local(m), manifests)) {
          files.add(local(m));
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

  /** The local directory that a write targets; it may not exist yet, and must not be a file. */
  static Path writeDirectory(String location, Configuration hadoopConf) {
    if (location == null) {
      throw new IllegalArgumentException("lazyq needs a path to write to: save(\"dir\")");
    }
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
      FileSystem fs = p.getFileSystem(hadoopConf);
      if (!"file".equals(fs.getScheme())) {
        throw new IllegalArgumentException("lazyq writes local files; " + location + " is on " + fs.getUri());
      }
      URI uri = fs.makeQualified(p).toUri();
      Path dir = Paths.get(uri);
      if (Files.isRegularFile(dir)) {
        throw new IllegalArgumentException("lazyq writes a directory of part files; " + dir + " is a file");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the paths name any data: false for a path that does not exist or an empty directory. */
  static boolean hasData(List<String> paths, Configuration hadoopConf) {
    try {
      return !list(paths, hadoopConf).isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether a file that a glob matched belongs to its directory's table: listed in the directory's
   * manifest, or in a directory without one. A glob over a table thus sees what reading the
   * directory sees, never the unlisted parts of a write in progress or of a killed one.
   */
  private static boolean committed(Path file, Map<Path, Optional<Set<String>>> manifests) throws IOException {
    Path dir = file.getParent();
    Optional<Set<String>> names = manifests.get(dir);
    if (names == null) {
      names = Manifest.read(dir).map(list -> list.stream().map(PartFile::name).collect(Collectors.toSet()));
      manifests.put(dir, names);
    }
    return names.map(n -> n.contains(file.getFileName().toString())).orElse(true);
  }

  /** The files that a directory's manifest lists, each of which must exist. */
  private static List<Path> listed(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (PartFile f : Manifest.read(dir).orElseThrow()) {
      Path p = dir.resolve(f.name());
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("lazyq: " + dir + " is incomplete: its manifest lists " + f.name()
            + ", which is missing");
      }
      files.add(p);
    }
    return files;
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

  private static boolean isHidden(FileStatus f) {
    return isHidden(f.getPath().getName());
  }

  static boolean isHidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  private static boolean hasGlob(String location) {
    return location.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  private static List<FileStatus> sorted(FileStatus[] statuses) {
    List<FileStatus> list = new ArrayList<>(Arrays.asList(statuses));
    list.sort(Comparator.comparing(s -> s.getPath().toString()));
    return list;
  }

  private static Path local(FileStatus f) {
    URI uri = f.getPath().toUri();
    Path p = uri.getScheme() == null ? Paths.get(uri.getPath()) : Paths.get(uri);
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException("lazyq: cannot read " + p);
    }
    return p;
  }
}
