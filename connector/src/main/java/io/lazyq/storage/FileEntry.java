package io.lazyq.storage;

/**
 * A file or directory as a listing returns it.
 *
 * @param location a local path for a local file, else a URI
 * @param name the last component of the location
 * @param length the file's size in bytes; 0 for a directory
 */
public record FileEntry(String location, String name, long length, boolean directory) {}
