package io.lazyq.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Where LazyQ reads and writes files: any Hadoop file system (HDFS, S3A, ...) with a Hadoop
 * configuration, and the local disk, whose files keep their zero-copy mapping. Locations are bare
 * paths, {@code file:} URIs, or URIs of another scheme; results name local files by their paths.
 */
public final class Storage {
  private final Configuration conf;
  private final BufferPool pool;

  private Storage(Configuration conf, BufferPool pool) {
    this.conf = conf;
    this.pool = pool;
  }

  /** Storage as the configuration reaches it, fetching into the process's shared pool. */
  public static Storage of(Configuration conf) {
    return new Storage(conf, BufferPool.shared());
  }

  /** The same, fetching into {@code pool}. */
  public static Storage of(Configuration conf, BufferPool pool) {
    return new Storage(conf, pool);
  }

  /** Whether a location is on the local disk: a bare path or a {@code file:} URI. */
  public static boolean isLocal(String location) {
    int colon = location.indexOf(':');
    if (colon < 0 || colon == 1 && location.length() > 2 && (location.charAt(2) == '\\' || location.charAt(2) == '/')) {
      return true; // no scheme, or a Windows drive letter
    }
    return location.regionMatches(true, 0, "file:", 0, 5);
  }

  /** The local path of a local location. */
  public static Path localPath(String location) {
    return location.regionMatches(true, 0, "file:", 0, 5) ? Paths.get(URI.create(location)) : Paths.get(location);
  }

  public Configuration conf() {
    return conf;
  }

  public BufferPool pool() {
    return pool;
  }

  public InputFile input(String location) throws IOException {
    return input(location, -1);
  }

  /** A file whose length a listing already told, which saves a remote metadata request. */
  public InputFile input(String location, long length) throws IOException {
    return input(location, length < 0 ? null : new FileVersion(length, -1, null));
  }

  /** A file as a listing saw it: a remote one needs no metadata request, and its footer may come from a cache. */
  public InputFile input(FileEntry file) throws IOException {
    return input(file.location(), file.version());
  }

  /**
   * A file of which a listing told the version, or null where none did; a remote file whose
   * version is known to its modification time is read once per process for its metadata.
   */
  public InputFile input(String location, FileVersion version) throws IOException {
    if (isLocal(location)) {
      return new LocalInputFile(localPath(location));
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    return new HadoopInputFile(fileSystem(p, location), p, location, version, pool);
  }

  public OutputFile output(String location) throws IOException {
    if (isLocal(location)) {
      return new LocalOutputFile(localPath(location));
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    return new HadoopOutputFile(fileSystem(p, location), p, location);
  }

  /** A file or directory, or empty where nothing is. */
  public Optional<FileEntry> status(String location) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    try {
      return Optional.of(entry(fileSystem(p, location).getFileStatus(p)));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw HadoopStorage.named(location, e);
    }
  }

  /** What a directory holds, sorted by name; empty for a missing directory. */
  public List<FileEntry> list(String directory) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(directory);
    try {
      return entries(fileSystem(p, directory).listStatus(p));
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw HadoopStorage.named(directory, e);
    }
  }

  /** What a glob pattern matches, sorted; a pattern without wildcards matches itself if it exists. */
  public List<FileEntry> glob(String pattern) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(pattern);
    try {
      FileStatus[] matches = fileSystem(p, pattern).globStatus(p);
      return matches == null ? List.of() : entries(matches);
    } catch (IOException e) {
      throw HadoopStorage.named(pattern, e);
    }
  }

  /** Deletes a file, or a directory with everything in it; false where nothing was. */
  public boolean delete(String location, boolean recursive) throws IOException {
    if (!recursive && isLocal(location)) {
      // One unlink or rmdir, which refuses a directory with anything in it. Hadoop's local delete
      // checks that a directory is empty and then deletes it recursively, so that a file another
      // job created between the two went too (a racing writer's staged part file, in ConcurrentWritesIT).
      try {
        return java.nio.file.Files.deleteIfExists(localPath(location));
      } catch (IOException e) {
        throw HadoopStorage.named(location, e);
      }
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    try {
      return fileSystem(p, location).delete(p, recursive);
    } catch (IOException e) {
      throw HadoopStorage.named(location, e);
    }
  }

  /**
   * Moves a file within its file system: atomically where the file system renames so; on an
   * object store, a copy and a delete (callers publish through a manifest, not through this). The
   * target's directory is made where it is missing, as a partition directory may be.
   */
  public void rename(String from, String to) throws IOException {
    org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(from);
    org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(to);
    FileSystem fs = fileSystem(src, from);
    try {
      if (dst.getParent() != null && !fs.exists(dst.getParent())) {
        fs.mkdirs(dst.getParent());
      }
      if (!fs.rename(src, dst)) {
        throw new IOException("cannot move " + from + " to " + to);
      }
    } catch (IOException e) {
      throw HadoopStorage.named(from, e);
    }
  }

  /** Whether files under the location can be published by rename, atomically. */
  public boolean renamesAtomically(String location) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    return HadoopStorage.renamesAtomically(fileSystem(p, location));
  }

  /** The location of {@code name} in the directory {@code dir}. */
  public static String resolve(String dir, String name) {
    return isLocal(dir) && !dir.regionMatches(true, 0, "file:", 0, 5) ? Paths.get(dir).resolve(name).toString()
        : new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(dir), name).toString();
  }

  /** The fully qualified form of a location: a URI with scheme and authority, or an absolute local path. */
  public String qualify(String location) throws IOException {
    if (isLocal(location)) {
      return localPath(location).toAbsolutePath().normalize().toString();
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    return fileSystem(p, location).makeQualified(p).toString();
  }

  private FileSystem fileSystem(org.apache.hadoop.fs.Path p, String location) throws IOException {
    try {
      return p.getFileSystem(conf);
    } catch (IOException e) {
      throw HadoopStorage.named(location, e);
    }
  }

  private static List<FileEntry> entries(FileStatus[] statuses) {
    List<FileEntry> list = new ArrayList<>(statuses.length);
    for (FileStatus s : statuses) {
      list.add(entry(s));
    }
    list.sort(Comparator.comparing(FileEntry::location));
    return list;
  }

  private static FileEntry entry(FileStatus s) {
    URI uri = s.getPath().toUri();
    String location = uri.getScheme() == null || "file".equals(uri.getScheme()) ? uri.getPath() : s.getPath().toString();
    String etag = s instanceof EtagSource tagged ? tagged.getEtag() : null;
    return new FileEntry(location, s.getPath().getName(), s.isDirectory() ? 0 : s.getLen(), s.isDirectory(),
        s.getModificationTime(), etag == null || etag.isEmpty() ? null : etag);
  }
}
