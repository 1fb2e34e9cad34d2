package io.lazyq.table;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Hadoop's local file system whose listings omit the files named in {@link #OMIT}, as an object
 * store's LIST may omit objects that exist while others are uploaded beside them; every other
 * operation is the local file system's own.
 */
public class OmittingLocalFileSystem extends LocalFileSystem {
  /** Names, comma-separated, that listings leave out. */
  static final String OMIT = "lazyq.test.listingOmits";

  /** Settings under which local paths are listed by this file system, omitting {@code names}. */
  static Configuration omitting(String... names) {
    Configuration conf = new Configuration();
    conf.setClass("fs.file.impl", OmittingLocalFileSystem.class, FileSystem.class);
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set(OMIT, String.join(",", names));
    return conf;
  }

  @Override
  public FileStatus[] listStatus(Path dir) throws IOException {
    Set<String> omitted = Set.of(getConf().get(OMIT, "").split(","));
    return Arrays.stream(super.listStatus(dir)).filter(s -> !omitted.contains(s.getPath().getName()))
        .toArray(FileStatus[]::new);
  }
}
