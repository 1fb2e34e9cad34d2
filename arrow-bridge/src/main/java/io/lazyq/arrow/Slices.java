package io.lazyq.arrow;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.ColumnView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bounds checks and slicing of a view's buffers. Every range handed to Arrow passes through here
 * first, so that a corrupt or hostile file is refused before any {@code ArrowBuf} points at it.
 */
final class Slices {
  private Slices() {}

  /** Checks a caller's row range: in the chunk, starting on a byte of the validity bitmap. */
  static void checkRows(ColumnView view, int first, int count) {
    if (first < 0 || count < 0 || (long) first + count > view.rows() || (first & 7) != 0) {
      throw new IllegalArgumentException("rows [" + first + ", +" + count + ") of a chunk of " + view.rows()
          + ": the range must lie in the chunk and start at a multiple of 8");
    }
  }

  /** Bytes {@code [offset, offset + length)} of {@code buffer}, or a format error naming {@code what}. */
  static ByteBuffer range(ColumnView view, ByteBuffer buffer, long offset, long length, String what)
      throws LazyQFormatException {
    long size = buffer == null ? 0 : buffer.limit();
    if (offset < 0 || length < 0 || offset + length > size) {
      throw corrupt(view, what + " hold " + size + " bytes, where [" + offset + ", +" + length + ") was needed");
    }
    if (buffer == null) {
      return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    return buffer.duplicate().position((int) offset).limit((int) (offset + length)).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The validity bytes of rows {@code [first, first + count)}, or {@code null} where nothing is null. */
  static ByteBuffer validity(ColumnView view, int first, int count) throws LazyQFormatException {
    ByteBuffer v = view.validityBuffer();
    return v == null ? null : range(view, v, first >>> 3, bitmapBytes(count), "validity bits");
  }

  /** Offsets {@code [first, first + count]}, checked to be non-decreasing and to end within {@code limit}. */
  static ByteBuffer offsets(ColumnView view, int first, int count, long limit) throws LazyQFormatException {
    ByteBuffer o = range(view, view.offsetsBuffer(), 4L * first, 4L * (count + 1), "offsets");
    int previous = o.getInt(0);
    if (previous < 0) {
      throw corrupt(view, "offset " + first + " is negative");
    }
    for (int i = 1; i <= count; i++) {
      int next = o.getInt(4 * i);
      if (next < previous) {
        throw corrupt(view, "offset " + (first + i) + " is " + next + " after " + previous);
      }
      previous = next;
    }
    if (previous > limit) {
      throw corrupt(view, "offsets end at " + previous + " beyond " + limit + " values");
    }
    return o;
  }

  /** Set bits among the first {@code count} bits of {@code bits}. */
  static int countSet(ByteBuffer bits, int count) {
    int set = 0;
    int whole = count >>> 3;
    int i = 0;
    for (; i + 8 <= whole; i += 8) {
      set += Long.bitCount(bits.getLong(i));
    }
    for (; i < whole; i++) {
      set += Integer.bitCount(bits.get(i) & 0xff);
    }
    int rest = count & 7;
    if (rest != 0) {
      set += Integer.bitCount(bits.get(whole) & ((1 << rest) - 1));
    }
    return set;
  }

  static int bitmapBytes(int bits) {
    return (bits + 7) >>> 3;
  }

  static LazyQFormatException corrupt(ColumnView view, String problem) {
    return new LazyQFormatException(view.source(), view.regionOffset(), "column '" + view.field().name()
        + "', chunk of " + view.rows() + " rows: " + problem);
  }
}
