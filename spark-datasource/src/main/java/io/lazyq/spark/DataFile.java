package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.ChunkFrames;
import io.lazyq.format.ChunkIndex;
import io.lazyq.format.FileMetadata;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import io.lazyq.storage.FileEntry;
import io.lazyq.format.FooterCache;
import io.lazyq.storage.FileVersion;
import io.lazyq.storage.InputFile;
import io.lazyq.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One {@code .lzq} file of a table: where it is, and its schema and chunk index from the footer.
 *
 * @param location a local path or a URI
 * @param open whether the file is still being appended to: intact frames but no footer yet. Its
 *     metadata then holds the schema and an empty index; streams read it, batch scans refuse it.
 * @param version for a remote file, the version that the listing saw, which tasks open it by
 *     (without asking its length, and with its footer from the executor's cache); else null
 */
record DataFile(String location, FileMetadata metadata, boolean open, FileVersion version) {

  DataFile(String location, FileMetadata metadata, boolean open) {
    this(location, metadata, open, null);
  }

  /**
   * Reads the footer, nothing else: for a remote file one request for its tail, or none where
   * this process read this version of it before ({@link FooterCache}); for a local file still
   * being written, its schema frame.
   */
  static DataFile read(FileEntry file, Storage storage) throws IOException {
    InputFile input = storage.input(file);
    try {
      return new DataFile(file.location(), FooterCache.shared().read(input), false, input.cacheableVersion());
    } catch (LazyQFormatException noFooter) {
      DataFile growing = Storage.isLocal(file.location()) ? growing(Storage.localPath(file.location())) : null;
      if (growing == null) {
        throw noFooter;
      }
      return growing;
    }
  }

  /** The file as a writer is leaving it, if its frames so far are intact and its footer is still to come. */
  private static DataFile growing(Path path) {
    try {
      if (ChunkFrames.scan(path).finished()) {
        return null;
      }
      try (InputStream in = Files.newInputStream(path);
          LzqStream s = LzqStream.open(in, path.toString(), StreamOptions.DEFAULTS.withTail(true))) {
        return new DataFile(path.toString(), new FileMetadata(s.schema(), new ChunkIndex(List.of(), 0), Files.size(path),
            s.position()), true);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
