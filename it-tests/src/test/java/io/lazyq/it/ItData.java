package io.lazyq.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where the integration tests put their (large) files: {@code -Dlazyq.it.data}, else target/it-data. */
final class ItData {
  private ItData() {}

  /** A fresh, empty directory for one test. */
  static Path freshDir(String name) throws IOException {
    Path dir = Path.of(System.getProperty("lazyq.it.data", "target/it-data")).toAbsolutePath().resolve(name);
    delete(dir);
    return Files.createDirectories(dir);
  }

  /** The directory of the cluster tests' tables, shared by both clusters (and mounted into containers). */
  static Path shared() throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("lazyq.it.data", "target/it-data")).toAbsolutePath()
        .resolve("cluster"));
  }

  /** A log file for a child process, kept after the test (data directories are not). */
  static Path log(String name) throws IOException {
    Path dir = Path.of(System.getProperty("lazyq.it.data", "target/it-data")).toAbsolutePath()
        .resolveSibling("it-logs");
    return Files.createDirectories(dir).resolve(name);
  }

  /** Deletes {@code path} and everything under it, if it exists. */
  static void delete(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
