package io.lazyq.format;

/**
 * One buffer of a column chunk, relative to the start of the column's region.
 *
 * @param offset start, a multiple of 64
 * @param length bytes stored in the file
 * @param decodedLength bytes after the lossless stage; equal to {@code length} where none applies
 */
public record BufferRef(long offset, long length, long decodedLength) {

  public static final BufferRef ABSENT = new BufferRef(0, 0, 0);

  public long end() {
    return offset + length;
  }

  public boolean isPresent() {
    return length > 0;
  }
}
