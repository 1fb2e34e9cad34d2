package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import java.util.List;

/**
 * One chunk: a run of rows stored as one frame, with a {@link ColumnChunk} per column.
 *
 * @param ordinal the chunk's position in the file, from 0
 * @param frameOffset absolute offset of the chunk's frame header
 * @param payloadLength bytes of the frame's payload
 * @param firstRow the file-wide index of the chunk's first row
 * @param rows rows in the chunk
 * @param columns one entry per schema column, in schema order
 */
public record ChunkDescriptor(
    int ordinal, long frameOffset, long payloadLength, long firstRow, int rows, List<ColumnChunk> columns) {

  public ChunkDescriptor {
    columns = List.copyOf(columns);
  }

  /**
   * Decodes the descriptor at the start of a chunk frame's payload, checking it against the frame.
   *
   * @param payload the whole payload, index 0 at its first byte
   */
  public static ChunkDescriptor decode(java.nio.ByteBuffer payload, Schema schema, int ordinal, long frameOffset,
      long firstRow, String source) throws LazyQFormatException {
    return decode(payload, payload.limit(), schema, ordinal, frameOffset, firstRow, source);
  }

  /**
   * Decodes a chunk's descriptor from the first bytes of its payload alone, at least
   * {@link #bytes(int)} of them, so that finding a chunk's columns reads none of its data.
   *
   * @param head the payload's first bytes, index 0 at its first byte
   * @param payloadLength the whole payload's length, which bounds the column regions
   */
  public static ChunkDescriptor decode(java.nio.ByteBuffer head, long payloadLength, Schema schema, int ordinal,
      long frameOffset, long firstRow, String source) throws LazyQFormatException {
    BinaryIn in = new BinaryIn(head, source, frameOffset + FileLayout.FRAME_HEADER_BYTES);
    return MetadataCodec.decodeChunkBody(in, schema, ordinal, frameOffset, payloadLength, firstRow);
  }

  /** Bytes at the start of a chunk's payload that describe it, for a schema of {@code columns} columns. */
  public static long bytes(int columns) {
    return MetadataCodec.chunkDataStart(columns);
  }

  /** Absolute offset of the payload, where column offsets start from. */
  public long payloadOffset() {
    return frameOffset + FileLayout.FRAME_HEADER_BYTES;
  }

  /** Bytes that the chunk takes in the file: its frame header and payload. */
  public long frameBytes() {
    return FileLayout.FRAME_HEADER_BYTES + payloadLength;
  }

  public ColumnChunk column(int ordinal) {
    return columns.get(ordinal);
  }
}
