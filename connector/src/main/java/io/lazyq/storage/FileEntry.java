package io.lazyq.storage;

/**
 * A file or directory as a listing returns it.
 *
 * @param location a local path for a local file, else a URI
 * @param name the last component of the location
 * @param length the file's size in bytes; 0 for a directory
 * @param directory whether it is a directory
 * @param modified the modification time, in milliseconds since the epoch
 * @param etag the object's entity tag where the store has one, else null
 */
public record FileEntry(String location, String name, long length, boolean directory, long modified, String etag) {

  /** What tells this version of the file from any other. */
  public FileVersion version() {
    return new FileVersion(length, modified, etag);
  }
}
