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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * The files of a table: each path is a file, a directory (its files, not recursively) or a glob.
 * Hidden files, whose names start with '.' or '_' (such as {@code _SUCCESS}), are ignored. All files
 * must share one schema.
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
      for (FileStatus m : sorted(matches)) {
        if (m.isDirectory()) {
          for (FileStatus f : sorted(fs.listStatus(m.getPath()))) {
            if (f.isFile() && !isHidden(f)) {
              files.add(local(f));
            }
          }
        } else if (!isHidden(m) || matches.length == 1 && !hasGlob(location)) {
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

  /** What makes two schemas read differently, or null: names, types and nullability, in order. */
  private static String difference(Schema a, Schema b) {
    if (a.size() != b.size()) {
      return b.size() + " columns instead of " + a.size();
    }
    for (int i = 0; i < a.size(); i++) {
      Field x = a.field(i);
      Field y = b.field(i);
      if (!x.name().equals(y.name()) || !x.type().equals(y.type()) || x.nullable() != y.nullable()
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
    String name = f.getPath().getName();
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
