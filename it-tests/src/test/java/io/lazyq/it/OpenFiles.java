package io.lazyq.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The files a process holds open, from {@code /proc/PID/fd}: the evidence of a leak. */
final class OpenFiles {
  private OpenFiles() {}

  /** Open files of {@code pid} under {@code dir}; empty where {@code /proc} is missing. */
  static List<Path> under(long pid, Path dir) {
    List<Path> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(dir)) {
            open.add(target);
          }
        } catch (IOException e) {
          // closed while listing
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to report
    }
    return open;
  }
}
