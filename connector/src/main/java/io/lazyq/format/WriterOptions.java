package io.lazyq.format;

/**
 * When a {@link LzqWriter} cuts a chunk: after {@code chunkRows} rows, or once the chunk's buffered
 * values reach {@code chunkBytes}, whichever comes first. A chunk is the unit of memory for both
 * writing and sequential reading, and of parallelism in Spark.
 */
public record WriterOptions(int chunkRows, long chunkBytes) {

  public static final int DEFAULT_CHUNK_ROWS = 1 << 20;
  public static final long DEFAULT_CHUNK_BYTES = 64L << 20;
  /** A chunk's columns are mapped one by one (or a few neighbours together), and a mapping cannot exceed 2 GiB. */
  public static final long MAX_CHUNK_BYTES = 1L << 30;

  public static final WriterOptions DEFAULTS = new WriterOptions(DEFAULT_CHUNK_ROWS, DEFAULT_CHUNK_BYTES);

  public WriterOptions {
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunkRows must be at least 1, not " + chunkRows);
    }
    if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException("chunkBytes must be in [1, " + MAX_CHUNK_BYTES + "], not " + chunkBytes);
    }
  }

  public WriterOptions withChunkRows(int rows) {
    return new WriterOptions(rows, chunkBytes);
  }

  public WriterOptions withChunkBytes(long bytes) {
    return new WriterOptions(chunkRows, bytes);
  }
}
