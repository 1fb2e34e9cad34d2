package io.lazyq.spark;

import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a directory without a log or manifest, as Spark's file sources find them: its
 * visible files, or, where it holds Hive-style partition directories ({@code name=value}, written
 * by Spark, Hive or other tools), the visible files in those, at one depth for every file. Hidden
 * names (starting with '.' or '_') are skipped at every level.
 */
final class PartitionDiscovery {
  private PartitionDiscovery() {}

  /** A file found, and its path relative to the table directory. */
  record Found(FileEntry file, String path) {}

  /**
   * @throws IllegalArgumentException where files lie at different depths or the partition
   *     directories name different columns, naming both places
   */
  static List<Found> files(String dir, Storage storage) throws IOException {
    List<Found> found = new ArrayList<>();
    walk(dir, "", storage, found);
    for (Found f : found) {
      String a = columns(f.path());
      String b = columns(found.get(0).path());
      if (!a.equals(b)) {
        throw new IllegalArgumentException("lazyq: conflicting directory structures under " + dir + ": "
            + found.get(0).path() + " and " + f.path() + " lie in partition directories of different columns ("
            + (b.isEmpty() ? "none" : b) + " and " + (a.isEmpty() ? "none" : a) + ")");
      }
    }
    return found;
  }

  private static void walk(String dir, String relative, Storage storage, List<Found> found) throws IOException {
    for (FileEntry e : storage.list(dir)) {
      if (TableFiles.isHidden(e.name())) {
        continue;
      }
      if (!e.directory()) {
        found.add(new Found(e, relative + e.name()));
      } else if (e.name().indexOf('=') > 0) {
        walk(e.location(), relative + e.name() + "/", storage, found);
      }
    }
  }

  /** The column names of a relative path's partition directories, in order. */
  private static String columns(String path) {
    StringBuilder b = new StringBuilder();
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      b.append(parts[i], 0, parts[i].indexOf('=')).append('/');
    }
    return b.toString();
  }
}
