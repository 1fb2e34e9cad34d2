package io.lazyq.storage;

import java.io.IOException;

/**
 * A file to write, local or remote, published whole or not at all. How depends on what the file
 * system guarantees: a local disk and HDFS write a hidden temporary name and rename it atomically;
 * an object store, which cannot rename atomically, uploads to the final name and makes the object
 * visible only when the upload completes.
 */
public interface OutputFile {
  /** Where the file goes: a path or a URI. */
  String location();

  /** Starts a file that replaces any file of the name when committed. */
  PendingFile create() throws IOException;

  /**
   * Starts a file whose commit succeeds only if no file of the name exists then, atomically
   * against other writers: the primitive a log of versions is built on.
   */
  PendingFile createIfAbsent() throws IOException;
}
