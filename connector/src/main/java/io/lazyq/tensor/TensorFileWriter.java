package io.lazyq.tensor;

import io.lazyq.Closeables;
import io.lazyq.WriteState;
import io.lazyq.storage.AtomicFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a tensor file in one pass: the header first (every size follows from the declared shapes
 * and types), then each tensor's data in declaration order. Bytes go to a temporary file in the
 * target's directory, which {@link #commit()} renames atomically onto the target once every tensor
 * has been written; {@link #close()} without a commit deletes it, leaving the target as it was.
 * A failed write fails the writer: {@code commit()} then refuses.
 */
public abstract class TensorFileWriter implements Closeable {
  private static final int BUFFER = 1 << 16;

  private final AtomicFile file;
  private final FileChannel out;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
  private final List<TensorSpec> tensors;
  private int next;
  private long tensorWritten = -1;
  private final WriteState state = new WriteState();

  protected TensorFileWriter(Path target, List<TensorSpec> tensors) throws IOException {
    this.tensors = List.copyOf(tensors);
    this.file = AtomicFile.create(target);
    this.out = file.channel();
  }

  public final Path target() {
    return file.target();
  }

  /** The declared tensors, in the order their data must come. */
  public final List<TensorSpec> tensors() {
    return tensors;
  }

  /** Writes the whole data of the next tensor, which must be called {@code name}. */
  public final void writeTensor(String name, ByteBuffer data) throws IOException {
    beginTensor(name);
    append(data);
    endTensor();
  }

  /** Starts the data of the next tensor, which must be called {@code name}. */
  public final void beginTensor(String name) throws IOException {
    state.checkWritable();
    if (tensorWritten >= 0) {
      throw new IllegalStateException("a tensor is in progress or the writer is closed");
    }
    if (next >= tensors.size() || !tensors.get(next).name().equals(name)) {
      throw new IllegalStateException("expected tensor "
          + (next < tensors.size() ? "'" + tensors.get(next).name() + "'" : "none") + ", got '"
          + name + "'");
    }
    tensorWritten = 0;
  }

  /** Appends the next bytes of the current tensor (from position to limit). */
  public final void append(ByteBuffer chunk) throws IOException {
    state.checkWritable();
    if (tensorWritten < 0) {
      throw new IllegalStateException("no tensor in progress");
    }
    long size = tensors.get(next).byteSize();
    if (tensorWritten + chunk.remaining() > size) {
      throw new IllegalArgumentException("tensor '" + tensors.get(next).name() + "' has " + size
          + " bytes; got more");
    }
    tensorWritten += chunk.remaining();
    try {
      put(chunk);
    } catch (IOException | RuntimeException e) {
      state.fail(e);
      throw e;
    }
  }

  /** Ends the current tensor, which must be complete, and pads after it. */
  public final void endTensor() throws IOException {
    state.checkWritable();
    if (tensorWritten < 0) {
      throw new IllegalStateException("no tensor in progress");
    }
    TensorSpec t = tensors.get(next);
    if (tensorWritten != t.byteSize()) {
      throw new IllegalStateException("tensor '" + t.name() + "' has " + t.byteSize()
          + " bytes; got " + tensorWritten);
    }
    try {
      zeros(paddingAfter(t.byteSize()));
    } catch (IOException | RuntimeException e) {
      state.fail(e);
      throw e;
    }
    tensorWritten = -1;
    next++;
  }

  /** Bytes of padding after a tensor of {@code bytes} bytes. */
  protected abstract long paddingAfter(long bytes);

  /**
   * Renames the finished file onto the target.
   *
   * @throws IllegalStateException if some tensor was not written, naming it, or an earlier write
   *     failed; nothing is published then, and {@link #close()} deletes the temporary file
   */
  public final void commit() throws IOException {
    state.checkWritable();
    if (tensorWritten >= 0 || next < tensors.size()) {
      throw new IllegalStateException(file.target() + " not written: tensor '" + tensors.get(next).name()
          + "' (" + (next + 1) + " of " + tensors.size() + ") is " + (tensorWritten >= 0 ? "incomplete" : "missing"));
    }
    try {
      flush();
      file.commit();
    } catch (IOException | RuntimeException e) {
      state.fail(e);
      throw e;
    }
    state.end();
  }

  /**
   * Without a {@link #commit()}, deletes the temporary file; the target is left as it was. Safe to
   * call more than once.
   *
   * @throws java.io.UncheckedIOException if the temporary file cannot be deleted
   */
  @Override
  public final void close() {
    if (state.end()) {
      Closeables.closeAllUnchecked(file);
    }
  }

  /** Writes {@code b} (position to limit) through the buffer. */
  protected final void put(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int n = Math.min(buffer.remaining(), b.remaining());
      ByteBuffer part = b.duplicate();
      part.limit(part.position() + n);
      buffer.put(part);
      b.position(b.position() + n);
    }
  }

  protected final void zeros(long n) throws IOException {
    for (long i = 0; i < n; i++) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      buffer.put((byte) 0);
    }
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    buffer.clear();
  }
}
