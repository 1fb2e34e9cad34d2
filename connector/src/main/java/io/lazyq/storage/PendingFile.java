package io.lazyq.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A file being written that appears under its name only on {@link #commit()}; {@link #abort()},
 * or {@link #close()} without a commit, leaves the name as it was.
 */
public interface PendingFile extends Closeable {
  /** Where the bytes go. */
  WritableByteChannel channel();

  /**
   * Publishes the file. For a file created with {@link OutputFile#createIfAbsent()}, fails with
   * {@link java.nio.file.FileAlreadyExistsException} if another writer published the name first.
   */
  void commit() throws IOException;

  /** Drops what was written. Safe to call more than once, and after a failed commit. */
  void abort() throws IOException;

  /** Aborts unless committed. */
  @Override
  default void close() throws IOException {
    abort();
  }
}
