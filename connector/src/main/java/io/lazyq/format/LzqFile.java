package io.lazyq.format;

import io.lazyq.Closeables;
import io.lazyq.LazyQFormatException;
import io.lazyq.storage.Mapping;
import io.lazyq.storage.MappingStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A {@code .lzq} file opened for random access. Opening reads the schema and the footer index and
 * nothing else; each column chunk is mapped only when {@link #column} asks for it, so a column that
 * nothing selects is never read. Files of any size work: mappings are per column chunk.
 *
 * <p>Thread-safe: any number of threads may map columns concurrently.
 */
public final class LzqFile implements AutoCloseable {
  private final Path path;
  private final String source;
  private final FileChannel channel;
  private final FileMetadata metadata;
  private final boolean verifyChecksums;
  private final MappingStats stats = new MappingStats();

  private LzqFile(Path path, FileChannel channel, FileMetadata metadata, boolean verifyChecksums) {
    this.path = path;
    this.source = path.toString();
    this.channel = channel;
    this.metadata = metadata;
    this.verifyChecksums = verifyChecksums;
  }

  /** Opens a file, checking column checksums as columns are mapped. */
  public static LzqFile open(Path path) throws IOException {
    return open(path, true);
  }

  /**
   * Opens a file.
   *
   * @param verifyChecksums whether each column chunk's CRC32C is checked when it is first mapped
   */
  public static LzqFile open(Path path, boolean verifyChecksums) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new LzqFile(path, channel, FileMetadata.read(channel, path.toString()), verifyChecksums);
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, channel);
      throw e;
    }
  }

  /**
   * Opens a file that a writer may still be appending to: a finished file as {@link #open(Path)}
   * opens it; otherwise (no footer yet, or a trailer still being written) its chunks complete at
   * the time of the call, found from their frames ({@link ChunkFrames}). Chunks are never rewritten
   * once complete, so mapping them is safe while the writer goes on. A file whose header does not
   * say it was opened for append is not growing: without its footer, it is reported as damaged.
   */
  public static LzqFile openAppending(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      try {
        return new LzqFile(path, channel, FileMetadata.read(channel, path.toString()), true);
      } catch (LazyQFormatException noFooter) {
        ChunkFrames frames = ChunkFrames.scan(channel, path.toString());
        boolean closing = frames.finished() && channel.size() < FileLayout.align(frames.end()) + FileLayout.TRAILER_BYTES;
        if (frames.head() == null || frames.finished() && !closing) {
          throw noFooter; // not a file begun by a writer, or a footer that is there but wrong
        }
        return new LzqFile(path, channel, new FileMetadata(frames.head().schema(), frames.index(), frames.end(),
            frames.head().firstChunkOffset()), true);
      }
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, channel);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  public Schema schema() {
    return metadata.schema();
  }

  public ChunkIndex index() {
    return metadata.index();
  }

  public long rowCount() {
    return metadata.index().rowCount();
  }

  public long fileSize() {
    return metadata.fileSize();
  }

  /** What this reader has mapped so far. */
  public MappingStats mappingStats() {
    return stats;
  }

  /**
   * Maps one column of one chunk and returns a view over it. Each call maps afresh; the caller
   * closes the view when done, which releases the mapping once nothing else holds it.
   */
  public ColumnView column(int chunkOrdinal, int columnOrdinal) throws IOException {
    ChunkDescriptor chunk = index().chunk(chunkOrdinal);
    ColumnChunk col = chunk.column(columnOrdinal);
    long at = chunk.payloadOffset() + col.offset();
    Mapping mapping = map(at, col.length());
    try {
      ByteBuffer region = mapping == null ? ByteBuffer.allocate(0) : mapping.buffer().duplicate();
      region.order(ByteOrder.LITTLE_ENDIAN);
      if (verifyChecksums) {
        CRC32C crc = new CRC32C();
        crc.update(region.duplicate());
        if ((int) crc.getValue() != col.crc32c()) {
          throw new LazyQFormatException(source, at, "checksum mismatch in chunk " + chunkOrdinal + ", column '"
              + schema().field(columnOrdinal).name() + "'");
        }
      }
      return new ColumnView(schema().field(columnOrdinal), col, chunk.rows(), region, source, at, mapping);
    } catch (IOException | RuntimeException e) {
      if (mapping != null) {
        mapping.close();
      }
      throw e;
    }
  }

  /** Maps bytes of the file; the footer check guaranteed that they lie inside it. */
  private Mapping map(long offset, long length) throws IOException {
    if (length == 0) {
      return null;
    }
    if (offset + length > metadata.fileSize() || length > Integer.MAX_VALUE) {
      throw new LazyQFormatException(source, offset, "column region of " + length + " bytes does not fit in the file");
    }
    return Mapping.map(channel, offset, length, stats);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
