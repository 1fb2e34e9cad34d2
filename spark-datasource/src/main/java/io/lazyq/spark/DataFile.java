package io.lazyq.spark;

import io.lazyq.format.FileMetadata;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One {@code .lzq} file of a table: where it is, and its schema and chunk index from the footer. */
record DataFile(Path path, FileMetadata metadata) {

  /** Reads the header and the footer, nothing else. */
  static DataFile read(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return new DataFile(path, FileMetadata.read(channel, path.toString()));
    }
  }

  String location() {
    return path.toString();
  }
}
