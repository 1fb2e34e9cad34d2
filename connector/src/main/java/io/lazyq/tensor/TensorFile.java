package io.lazyq.tensor;

import io.lazyq.format.LazyQFormatException;
import io.lazyq.gguf.GgufFile;
import io.lazyq.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A GGUF or Safetensors file, opened lazily: opening reads and checks the index only, and a
 * tensor's bytes are mapped when that tensor is first read.
 */
public interface TensorFile extends AutoCloseable {

  /**
   * Opens {@code path}, detecting its format from its first bytes (never from its name).
   *
   * @throws LazyQFormatException if it is neither format, or its index is malformed
   */
  static TensorFile open(Path path) throws IOException {
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

  Path path();

  TensorFormat format();

  /** The tensors, in index order. */
  List<TensorInfo> tensors();

  default Optional<TensorInfo> tensor(String name) {
    return tensors().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The tensor called {@code name}; {@link NoSuchElementException} naming the file otherwise. */
  default TensorInfo require(String name) {
    return tensor(name).orElseThrow(
        () -> new NoSuchElementException(path() + ": no tensor named '" + name + "'"));
  }

  Metadata metadata();

  /**
   * The raw bytes of one tensor: a read-only little-endian buffer over its mapping (created on
   * first use), positioned at 0. The bytes are raw: views validate them with the codec before
   * decoding. Tensors over 2 GiB cannot be returned whole: read them through
   * {@link #view}.
   */
  ByteBuffer data(TensorInfo tensor) throws IOException;

  /** A row view of one tensor, which dequantizes only the rows read. */
  TensorView view(TensorInfo tensor) throws IOException;

  /** Bytes mapped so far, over all tensors. */
  long mappedBytes();

  /** Names of the tensors mapped so far. */
  java.util.Set<String> mappedTensors();

  @Override
  void close() throws IOException;
}
