package io.lazyq.cli;

import io.lazyq.format.FileLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a file holds, told by its first bytes, never by its name. */
public enum InputKind {
  LZQ,
  GGUF,
  /** Anything else: a tensor file reader decides whether it is Safetensors. */
  OTHER;

  public static InputKind of(Path path) throws IOException {
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n == head.length && FileLayout.hasMagic(head)) {
      return LZQ;
    }
    if (n >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') {
      return GGUF;
    }
    return OTHER;
  }
}
