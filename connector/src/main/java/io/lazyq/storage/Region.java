package io.lazyq.storage;

import java.io.Closeable;
import java.nio.ByteBuffer;

/**
 * Bytes of a file held in memory for as long as anything references them: a mapped region of a
 * local file ({@link Mapping}), or a range fetched from remote storage into a pooled buffer. Views
 * and zero-copy Arrow buffers wrap {@link #buffer()} in place and {@link #retain()} the region;
 * the last {@link #close()} gives the bytes back.
 */
public interface Region extends Closeable {
  /** The bytes, position 0 at {@link #fileOffset()}; a holder must {@link #retain()} before handing them on. */
  ByteBuffer buffer();

  /** Where the bytes start in their file. */
  long fileOffset();

  long length();

  /** Adds a holder. */
  Region retain();

  /** Drops one holder; the last one releases the bytes. */
  @Override
  void close();

  /** Holders left; 0 once released. */
  int references();
}
