package io.lazyq.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file systems that the tests of tables written from several JVMs run on, picked by the system
 * property {@code lazyq.it.storage} (default {@code local,hdfs}): {@code local}, a directory on the
 * local disk, and {@code hdfs}, a {@link MiniHdfs} in the test JVM that child JVMs reach by its URI.
 */
final class StorageKinds {
  private StorageKinds() {}

  /** The kinds to run on, for {@code @MethodSource("io.lazyq.it.StorageKinds#kinds")}. */
  static List<String> kinds() {
    return List.of(System.getProperty("lazyq.it.storage", "local,hdfs").split(","));
  }

  /** Where a table named {@code name} goes on {@code kind}: under {@code localDir}, or at the root of HDFS. */
  static String table(String kind, Path localDir, String name) throws IOException {
    return switch (kind) {
      case "local" -> localDir.resolve(name).toString();
      case "hdfs" -> MiniHdfs.uri() + "/" + name;
      default -> throw new IllegalArgumentException("lazyq.it.storage: no file system " + kind);
    };
  }
}
