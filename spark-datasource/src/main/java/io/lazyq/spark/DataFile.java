package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.ChunkFrames;
import io.lazyq.format.ChunkIndex;
import io.lazyq.format.FileMetadata;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One {@code .lzq} file of a table: where it is, and its schema and chunk index from the footer.
 *
 * @param open whether the file is still being appended to: intact frames but no footer yet. Its
 *     metadata then holds the schema and an empty index; streams read it, batch scans refuse it.
 */
record DataFile(Path path, FileMetadata metadata, boolean open) {

  /** Reads the header and the footer, nothing else; or, for a file still being written, its schema frame. */
  static DataFile read(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return new DataFile(path, FileMetadata.read(channel, path.toString()), false);
    } catch (LazyQFormatException noFooter) {
      DataFile growing = growing(path);
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
        return new DataFile(path, new FileMetadata(s.schema(), new ChunkIndex(List.of(), 0), Files.size(path),
            s.position()), true);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  String location() {
    return path.toString();
  }
}
