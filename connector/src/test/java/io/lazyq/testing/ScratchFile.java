package io.lazyq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files for fuzz targets whose readers need a path. Each input goes to a new file, and the previous
 * one is deleted: overwriting one file would be far slower, since truncating a file makes the kernel
 * visit every mapping of it, and mappings stay until the collector releases their buffers.
 */
public final class ScratchFile {
  private static final Path DIR = createDir();
  private static final ThreadLocal<Path> PREVIOUS = new ThreadLocal<>();
  private static final AtomicLong COUNTER = new AtomicLong();

  private ScratchFile() {}

  /** Writes {@code bytes} to a new file, deletes this thread's previous one, and returns its path. */
  public static Path write(byte[] bytes) throws IOException {
    Path previous = PREVIOUS.get();
    if (previous != null) {
      Files.deleteIfExists(previous);
    }
    Path file = Files.write(DIR.resolve("input-" + COUNTER.incrementAndGet()), bytes);
    PREVIOUS.set(file);
    return file;
  }

  private static Path createDir() {
    try {
      Path dir = Files.createTempDirectory("lazyq-fuzz");
      dir.toFile().deleteOnExit();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (var files = Files.list(dir)) {
          files.forEach(f -> f.toFile().delete());
        } catch (IOException e) {
          // best effort: the directory lives under java.io.tmpdir
        }
        dir.toFile().delete();
      }));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
