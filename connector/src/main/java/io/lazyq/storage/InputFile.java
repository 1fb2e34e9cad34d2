package io.lazyq.storage;

import java.io.IOException;
import java.io.InputStream;

/** A file to read, local or remote: opened for positioned reads, or as a stream front to back. */
public interface InputFile {
  /** Where the file is: a path or a URI, for messages. */
  String location();

  /** Opens the file for positioned reads; a missing file fails here, naming {@link #location()}. */
  RangeReader open() throws IOException;

  /** Opens the file for one pass front to back. */
  InputStream newStream() throws IOException;

  /**
   * The version of a remote file that a listing saw, to its modification time, or null: a local
   * file (cheap to read again, and rewritten in place by tests and tools), or one given by name only.
   * What a cache of remote metadata is keyed by, with {@link #location()}.
   */
  default FileVersion cacheableVersion() {
    return null;
  }
}
