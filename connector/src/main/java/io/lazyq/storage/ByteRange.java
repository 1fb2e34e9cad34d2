package io.lazyq.storage;

/** {@code length} bytes of a file from {@code offset}. */
public record ByteRange(long offset, long length) {
  public ByteRange {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("byte range " + offset + "+" + length);
    }
  }

  public long end() {
    return offset + length;
  }
}
