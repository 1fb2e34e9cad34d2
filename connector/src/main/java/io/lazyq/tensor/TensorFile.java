package io.lazyq.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A GGUF or Safetensors file, opened lazily: opening reads and checks the index only, and a
 * tensor's bytes are mapped when that tensor is first read. {@code TensorFiles.open} opens either
 * format by its first bytes.
 */
public interface TensorFile extends AutoCloseable {

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
