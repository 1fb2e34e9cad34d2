package io.lazyq.storage;

import java.io.IOException;
import java.nio.file.Path;

/** A file on a local disk, published by {@link AtomicFile}. */
public record LocalOutputFile(Path path) implements OutputFile {
  @Override
  public String location() {
    return path.toString();
  }

  @Override
  public AtomicFile create() throws IOException {
    return AtomicFile.create(path);
  }

  @Override
  public AtomicFile createIfAbsent() throws IOException {
    return AtomicFile.createNew(path);
  }
}
