package io.lazyq.format;

/**
 * Where one column's data for one chunk lies and what it holds. A reader finds everything it needs
 * for random access here, in the footer, without touching the chunk.
 *
 * <p>Buffers follow Arrow's layout: a validity bitmap (absent when no value is null), then int32
 * offsets for utf8 and lists, then the values (bit-packed for bool; blocks for quantized columns).
 *
 * @param offset start of the column's region, relative to the chunk frame's payload, a multiple of 64
 * @param length bytes of the region
 * @param crc32c CRC32C of the region's bytes
 * @param compression the lossless stage applied to the values buffer
 * @param valueCount entries in the values buffer: rows, or list elements for lists
 * @param stats null count, min and max
 * @param validity the validity bitmap
 * @param offsets the int32 offsets, for utf8 and list columns
 * @param values the values, elements, bytes or blocks
 */
public record ColumnChunk(
    long offset,
    long length,
    int crc32c,
    ColumnEncoding.Lossless compression,
    long valueCount,
    ColumnStats stats,
    BufferRef validity,
    BufferRef offsets,
    BufferRef values) {

  public long end() {
    return offset + length;
  }

  public long nullCount() {
    return stats.nullCount();
  }
}
