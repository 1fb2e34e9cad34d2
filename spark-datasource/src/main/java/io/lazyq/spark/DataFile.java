package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.ChunkFrames;
import io.lazyq.format.ChunkIndex;
import io.lazyq.format.FileMetadata;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.RangeReader;
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
 */
record DataFile(String location, FileMetadata metadata, boolean open) {

  /** Reads the header and the footer, nothing else (one request for a remote file); or, for a local file still being written, its schema frame. */
  static DataFile read(FileEntry file, Storage storage) throws IOException {
    try (RangeReader reader = storage.input(file.location(), file.length()).open()) {
      return new DataFile(file.location(), FileMetadata.read(reader), false);
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
