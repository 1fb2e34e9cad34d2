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
}
