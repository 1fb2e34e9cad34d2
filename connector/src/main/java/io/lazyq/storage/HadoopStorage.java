package io.lazyq.storage;

import io.lazyq.LazyQFormatException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;

/** What LazyQ needs to know of a Hadoop file system beyond its API, and how its failures read. */
final class HadoopStorage {
  /**
   * Object stores: no atomic rename (S3A copies then deletes), but an upload appears whole when it
   * completes. Every other file system (HDFS, the local one) renames atomically.
   */
  private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn", "obs", "wasb",
      "wasbs", "abfs", "abfss");

  private HadoopStorage() {}

  static boolean renamesAtomically(FileSystem fs) {
    return !OBJECT_STORES.contains(fs.getScheme());
  }

  /** Whether a failure says that another writer created the name first. */
  static boolean isConflict(IOException e) {
    return e instanceof java.nio.file.FileAlreadyExistsException // a rename that refused, as publish() reports it
        || e instanceof org.apache.hadoop.fs.FileAlreadyExistsException
        || e.getClass().getSimpleName().equals("RemoteFileChangedException");
  }

  static IOException named(String location, IOException e) {
    return named(location, e, -1);
  }

  /**
   * The failure as one line that names the file: a missing file, a denied permission and a file
   * shorter than its metadata says each read plainly, without the file system's internals (the
   * cause keeps them).
   */
  static IOException named(String location, IOException e, long offset) {
    if (e instanceof LazyQFormatException) {
      return e;
    }
    if (e instanceof FileNotFoundException) {
      FileNotFoundException missing = new FileNotFoundException(location + ": no such file");
      missing.initCause(e);
      return missing;
    }
    if (e instanceof java.nio.file.AccessDeniedException || e instanceof org.apache.hadoop.security.AccessControlException) {
      IOException denied = new java.nio.file.AccessDeniedException(location, null, "permission denied");
      denied.initCause(e);
      return denied;
    }
    if (e instanceof EOFException) {
      return new LazyQFormatException(location, Math.max(offset, 0), "truncated: the file ends before the bytes its"
          + " metadata points to", e);
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    return new IOException(location + ": " + message, e);
  }
}
