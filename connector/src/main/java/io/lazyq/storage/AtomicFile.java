package io.lazyq.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written under a hidden temporary name in its final directory and published by an atomic
 * rename, so that a crash at any point leaves either the previous file or nothing under the final
 * name, never a half-written one. The data is forced to disk before the rename and the directory
 * after it, so that a power loss after {@link #commit()} returns keeps the new file too.
 */
public final class AtomicFile implements PendingFile {
  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final boolean replace;
  private boolean done;

  private AtomicFile(Path target, boolean replace) throws IOException {
    this.replace = replace;
    this.target = target.toAbsolutePath();
    Path dir = this.target.getParent();
    Files.createDirectories(dir);
    this.temp = dir.resolve("." + this.target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** Starts writing what will become {@code target}. */
  public static AtomicFile create(Path target) throws IOException {
    return new AtomicFile(target, true);
  }

  /**
   * Starts writing what will become {@code target} unless a file of that name exists when
   * {@link #commit()} publishes it: the commit then fails with {@link FileAlreadyExistsException}.
   * Publishing is a hard link, which the kernel refuses atomically for an existing name.
   */
  public static AtomicFile createNew(Path target) throws IOException {
    return new AtomicFile(target, false);
  }

  @Override
  public FileChannel channel() {
    return channel;
  }

  public Path target() {
    return target;
  }

  /** Flushes to disk and renames the temporary file onto the target, replacing any previous file. */
  @Override
  public void commit() throws IOException {
    if (done) {
      throw new IllegalStateException(target + " was already committed or aborted");
    }
    channel.force(true);
    channel.close();
    if (!replace) {
      try {
        Files.createLink(target, temp);
      } finally {
        done = true;
        Files.deleteIfExists(temp);
      }
      syncDirectory(target.getParent());
      return;
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw new IOException("the file system of " + target + " cannot rename atomically", e);
    }
    done = true;
    syncDirectory(target.getParent());
  }

  /**
   * Forces a directory's entries to disk, so that a rename into it survives a power loss. Where the
   * platform cannot open a directory for that (Windows), the rename stands without it.
   */
  private static void syncDirectory(Path dir) throws IOException {
    FileChannel d;
    try {
      d = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException notOnThisPlatform) {
      return;
    }
    try (d) {
      d.force(true);
    }
  }

  /** Deletes the temporary file; the target is left as it was. Safe to call more than once. */
  @Override
  public void abort() throws IOException {
    if (done) {
      return;
    }
    done = true;
    channel.close();
    Files.deleteIfExists(temp);
  }

  /** Aborts unless committed. */
  @Override
  public void close() throws IOException {
    abort();
  }
}
