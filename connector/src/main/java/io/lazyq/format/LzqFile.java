package io.lazyq.format;

import io.lazyq.Closeables;
import io.lazyq.LazyQFormatException;
import io.lazyq.storage.ByteRange;
import io.lazyq.storage.InputFile;
import io.lazyq.storage.LocalInputFile;
import io.lazyq.storage.MappingStats;
import io.lazyq.storage.RangeReader;
import io.lazyq.storage.Region;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * A {@code .lzq} file opened for random access. Opening reads the schema and the footer index and
 * nothing else; each column chunk is read only when {@link #column} or {@link #columns} asks for it,
 * so a column that nothing selects is never read. A local file's columns are mapped, except those
 * a view only decodes (block-encoded or zstd numbers), which are read into pooled buffers; a remote
 * file's are fetched, a chunk's selected columns in one vectored read. Files of any size work:
 * regions are per column chunk.
 *
 * <p>Thread-safe: any number of threads may read columns concurrently.
 */
public final class LzqFile implements AutoCloseable {
  private final Path path;
  private final String source;
  private final RangeReader reader;
  private final FileMetadata metadata;
  private final boolean verifyChecksums;
  /**
   * The column chunks whose checksum has matched, as {@code chunk * columns + column}: a region is
   * checked once per open file, not again each time a reader maps it.
   */
  private final Set<Long> verified = ConcurrentHashMap.newKeySet();

  private LzqFile(Path path, RangeReader reader, FileMetadata metadata, boolean verifyChecksums) {
    this.path = path;
    this.source = reader.location();
    this.reader = reader;
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
   * @param verifyChecksums whether each column chunk's CRC32C is checked when it is first mapped (once:
   *     a match is remembered for as long as the file is open)
   */
  public static LzqFile open(Path path, boolean verifyChecksums) throws IOException {
    return open(new LocalInputFile(path), verifyChecksums);
  }

  /**
   * Opens a local or remote file; {@link #path()} is null for a remote one. A remote file's
   * metadata comes from the {@link FooterCache} where this version of it was read before.
   */
  public static LzqFile open(InputFile file, boolean verifyChecksums) throws IOException {
    RangeReader reader = file.open();
    try {
      Path local = file instanceof LocalInputFile l ? l.path() : null;
      return new LzqFile(local, reader, FooterCache.shared().read(file, reader), verifyChecksums);
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, reader);
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
    LocalInputFile.Reader reader = new LocalInputFile.Reader(channel, path.toString());
    try {
      try {
        return new LzqFile(path, reader, FileMetadata.read(reader), true);
      } catch (LazyQFormatException noFooter) {
        ChunkFrames frames = ChunkFrames.scan(channel, path.toString());
        boolean closing = frames.finished() && channel.size() < FileLayout.align(frames.end()) + FileLayout.TRAILER_BYTES;
        if (frames.head() == null || frames.finished() && !closing) {
          throw noFooter; // not a file begun by a writer, or a footer that is there but wrong
        }
        return new LzqFile(path, reader, new FileMetadata(frames.head().schema(), frames.index(), frames.end(),
            frames.head().firstChunkOffset()), true);
      }
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, channel);
      throw e;
    }
  }

  /** The reader the file was opened with, local or remote, for {@link LzqCheck#checkChunk}. */
  RangeReader reader() {
    return reader;
  }

  /** The local file, or null for a remote one. */
  public Path path() {
    return path;
  }

  /** Where the file is: its path, or its URI. */
  public String location() {
    return source;
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

  /** What this reader has mapped or fetched so far. */
  public MappingStats mappingStats() {
    return reader.stats();
  }

  /**
   * Reads one column of one chunk and returns a view over it. Each call maps (or fetches) afresh
   * (the columns of one {@link #columns} call share a mapping);
   * the caller closes the view when done, which releases the bytes once nothing else holds them.
   */
  public ColumnView column(int chunkOrdinal, int columnOrdinal) throws IOException {
    return columns(chunkOrdinal, new int[] {columnOrdinal})[0];
  }

  /**
   * Reads columns of one chunk together: a remote file fetches their byte ranges in one vectored
   * read, merging neighbours. The caller closes every view.
   */
  public ColumnView[] columns(int chunkOrdinal, int[] columnOrdinals) throws IOException {
    ChunkDescriptor chunk = index().chunk(chunkOrdinal);
    List<ByteRange> mapped = new ArrayList<>(columnOrdinals.length);
    List<ByteRange> decoded = new ArrayList<>(columnOrdinals.length);
    boolean[] copy = new boolean[columnOrdinals.length];
    for (int i = 0; i < columnOrdinals.length; i++) {
      ColumnChunk col = chunk.column(columnOrdinals[i]);
      long at = chunk.payloadOffset() + col.offset();
      if (at + col.length() > metadata.fileSize() || col.length() > Integer.MAX_VALUE) {
        throw new LazyQFormatException(source, at, "column region of " + col.length() + " bytes does not fit in the file");
      }
      copy[i] = decodedOnly(schema().field(columnOrdinals[i]), col);
      (copy[i] ? decoded : mapped).add(new ByteRange(at, col.length()));
    }
    List<Region> regions = regions(mapped, decoded, copy);
    ColumnView[] views = new ColumnView[columnOrdinals.length];
    try {
      for (int i = 0; i < views.length; i++) {
        Region r = regions.get(i);
        regions.set(i, null);
        views[i] = view(chunkOrdinal, chunk, columnOrdinals[i], r.length() == 0 ? null : r);
      }
    } catch (Throwable e) {
      Closeables.closeOnFailure(e, regions.toArray(new Region[0]));
      Closeables.closeOnFailure(e, views);
      throw e;
    }
    return views;
  }

  /**
   * The regions of the columns in order: those whose bytes a view decodes whole or block by block
   * and never hands out ({@link #decodedOnly}) read into pooled buffers where the reader can
   * ({@link RangeReader#fetchDecoded}: up to a span's limit and within the pool's), the others mapped.
   */
  private List<Region> regions(List<ByteRange> mapped, List<ByteRange> decoded, boolean[] copy) throws IOException {
    List<Region> m = mapped.isEmpty() ? List.of() : reader.fetch(mapped);
    List<Region> d;
    try {
      d = decoded.isEmpty() ? List.of() : reader.fetchDecoded(decoded);
    } catch (Throwable e) {
      Closeables.closeOnFailure(e, m.toArray(new Region[0]));
      throw e;
    }
    List<Region> regions = new ArrayList<>(copy.length);
    int nextMapped = 0;
    int nextDecoded = 0;
    for (boolean c : copy) {
      regions.add(c ? d.get(nextDecoded++) : m.get(nextMapped++));
    }
    return regions;
  }

  /**
   * Whether a view reads the column's bytes only through decoding, so that nothing of the region
   * outlives the view ({@code ColumnView.owner()} is wrapped zero-copy only for plain values): a
   * lossless stage's numbers (blocks, zstd), not utf8, whose dictionary is kept over the region.
   * The reader maps a region larger than {@link LocalInputFile.Reader#DECODED_SPAN_BYTES}.
   */
  private static boolean decodedOnly(Field field, ColumnChunk col) {
    return col.compression() != ColumnEncoding.Lossless.NONE && !LosslessStage.isUtf8(field.type());
  }

  /** A view over a column's region, which it takes over (closing it if the bytes are bad). */
  private ColumnView view(int chunkOrdinal, ChunkDescriptor chunk, int columnOrdinal, Region mapping) throws IOException {
    ColumnChunk col = chunk.column(columnOrdinal);
    long at = chunk.payloadOffset() + col.offset();
    try {
      ByteBuffer region = mapping == null ? ByteBuffer.allocate(0) : mapping.buffer().duplicate();
      region.order(ByteOrder.LITTLE_ENDIAN);
      long key = (long) chunkOrdinal * schema().size() + columnOrdinal;
      // A remote read fetches the bytes afresh each time, so only a mapping's check is remembered.
      if (verifyChecksums && (reader.remote() || !verified.contains(key))) {
        CRC32C crc = new CRC32C();
        crc.update(region.duplicate());
        if ((int) crc.getValue() != col.crc32c()) {
          throw new LazyQFormatException(source, at, "checksum mismatch in chunk " + chunkOrdinal + ", column '"
              + schema().field(columnOrdinal).name() + "'");
        }
        verified.add(key);
      }
      Derivation.Values derived = col.compression() == ColumnEncoding.Lossless.DERIVED
          ? Derivation.decode(region, chunk, schema(), columnOrdinal, s -> column(chunkOrdinal, s), source, at) : null;
      return new ColumnView(schema().field(columnOrdinal), col, chunk.rows(), region, source, at, mapping, derived);
    } catch (IOException | RuntimeException e) {
      if (mapping != null) {
        mapping.close();
      }
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
