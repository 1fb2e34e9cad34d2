package io.lazyq.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An open file read by position: small reads for metadata, and the byte ranges of a chunk's
 * selected columns as {@link Region}s that views wrap without copying. Thread-safe.
 */
public interface RangeReader extends Closeable {
  /** Where the file is, for messages. */
  String location();

  long length() throws IOException;

  /**
   * Reads {@code length} bytes at {@code offset} into a new heap buffer, little-endian. The
   * caller bounds the range by {@link #length()}; a file that ends early fails as truncated.
   */
  ByteBuffer read(long offset, int length) throws IOException;

  /**
   * The ranges' bytes, one region each, in order: mapped for a local file, fetched into pooled
   * buffers otherwise (ranges close to each other in one request). The caller closes every region.
   */
  List<Region> fetch(List<ByteRange> ranges) throws IOException;

  /**
   * The ranges' bytes as {@link #fetch} gives them, for bytes that are decoded rather than wrapped
   * (block-encoded or zstd column chunks): a local file reads them into pooled buffers instead of
   * mapping them, as a fresh mapping's page faults cost more than the copy. The caller closes every
   * region, and must not hand its bytes to anything that outlives it.
   */
  default List<Region> fetchDecoded(List<ByteRange> ranges) throws IOException {
    return fetch(ranges);
  }

  /**
   * Whether each read costs a request to remote storage, so that metadata is best taken from as
   * few places in the file as it can be (the footer alone), rather than from wherever it lies first.
   */
  default boolean remote() {
    return false;
  }

  /** What this reader has fetched or mapped so far. */
  MappingStats stats();
}
