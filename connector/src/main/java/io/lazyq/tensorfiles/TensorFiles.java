package io.lazyq.tensorfiles;

import io.lazyq.LazyQFormatException;
import io.lazyq.gguf.GgufFile;
import io.lazyq.safetensors.SafetensorsFile;
import io.lazyq.tensor.TensorFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a tensor file of either format, told apart by its first bytes. */
public final class TensorFiles {
  private TensorFiles() {}

  /**
   * Opens {@code path}, detecting its format from its first bytes (never from its name).
   *
   * @throws LazyQFormatException if it is neither format, or its index is malformed
   */
  public static TensorFile open(Path path) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // a short read just leaves the head shorter
      }
    }
    head.flip();
    if (head.remaining() >= 4 && head.getInt(0) == GgufFile.MAGIC) {
      return GgufFile.open(path);
    }
    // Safetensors: a little-endian u64 header length, then a JSON object. The reader checks the
    // length, so that a bad one gets its own message.
    if (head.remaining() == 9 && head.get(8) == '{') {
      return SafetensorsFile.open(path);
    }
    throw new LazyQFormatException(path.toString(), 0, "not a GGUF or Safetensors file");
  }
}
