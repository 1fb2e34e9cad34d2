package io.lazyq.lossless;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Dictionary encoding of a utf8 column chunk (Arrow's int32 offsets and string bytes): the
 * distinct strings once, and per row the index of its string, as an int32 region of block
 * encodings (a sensor name changes rarely, so its indexes are mostly runs).
 *
 * <pre>
 * dictionary:  u32 k, u32 ends[k] (end of each string in the bytes that follow), the strings' bytes
 * indexes:     an int32 region ({@link BlockFormat}) of one index per row; a null row indexes "" or any string
 * </pre>
 *
 * A null row's slot decodes to an empty string whatever its index, as Arrow lays null strings out.
 */
public final class StringDictionary {
  private StringDictionary() {}

  /** The two buffers of a dictionary-encoded chunk. */
  public record Encoded(ByteBuffer indexes, ByteBuffer dictionary) {}

  /**
   * A checked chunk: the dictionary ({@code strings[ids[row]]} is the row's string; a null row's
   * index is 0), which readers that can use it read without a copy per row, and the two plain
   * buffers, built on first use: a group-by on a dictionary-encoded column spent a fifth of its
   * task's samples building them. The arrays are the decoder's own, not copies.
   */
  public static final class Decoded {
    private final int[] ids;
    private final byte[][] strings;
    private final int stringBytes;
    /** Which rows are valid (bit set), or null when none is null. */
    private final ByteBuffer valid;
    private ByteBuffer offsets;
    private ByteBuffer values;

    private Decoded(int[] ids, byte[][] strings, int stringBytes, ByteBuffer valid) {
      this.ids = ids;
      this.strings = strings;
      this.stringBytes = stringBytes;
      this.valid = valid;
    }

    public int[] ids() {
      return ids;
    }

    public byte[][] strings() {
      return strings;
    }

    /** The rows' int32 offsets into {@link #values()}, as Arrow lays a utf8 column out. */
    public ByteBuffer offsets() {
      if (offsets == null) {
        ByteBuffer o = ByteBuffer.allocate(4 * (ids.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] v = new byte[stringBytes];
        int at = 0;
        for (int r = 0; r < ids.length; r++) {
          if (valid == null || (valid.get(r >>> 3) & (1 << (r & 7))) != 0) {
            byte[] s = strings[ids[r]];
            System.arraycopy(s, 0, v, at, s.length);
            at += s.length;
          }
          o.putInt(4 * (r + 1), at);
        }
        values = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        offsets = o;
      }
      return offsets;
    }

    /** The strings' bytes, row after row (a null row's string is empty). */
    public ByteBuffer values() {
      offsets();
      return values;
    }
  }

  /**
   * Encodes {@code rows} strings given as int32 {@code offsets} ({@code rows + 1}) and
   * {@code values}, or returns {@code null} where more than {@code maxDistinct} are distinct;
   * {@code indexEncoder} writes the rows' indexes, an int32 encoder.
   */
  public static Encoded encode(ByteBuffer offsets, ByteBuffer values, int rows, int maxDistinct, BlockEncoder indexEncoder) {
    ByteBuffer o = offsets.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer v = values.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    Map<ByteBuffer, Integer> ids = new HashMap<>();
    ByteBuffer indexes = ByteBuffer.allocate(4 * rows).order(ByteOrder.LITTLE_ENDIAN);
    int stringBytes = 0;
    for (int r = 0; r < rows; r++) {
      int start = o.getInt(o.position() + 4 * r);
      int end = o.getInt(o.position() + 4 * (r + 1));
      ByteBuffer s = v.duplicate().position(v.position() + start).limit(v.position() + end).slice();
      Integer id = ids.get(s);
      if (id == null) {
        if (ids.size() == maxDistinct) {
          return null;
        }
        id = ids.size();
        ids.put(s, id);
        stringBytes += end - start;
      }
      indexes.putInt(4 * r, id);
    }
    int k = ids.size();
    ByteBuffer dictionary = ByteBuffer.allocate(4 + 4 * k + stringBytes).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer[] byId = new ByteBuffer[k];
    ids.forEach((s, id) -> byId[id] = s);
    dictionary.putInt(k);
    int end = 0;
    for (ByteBuffer s : byId) {
      end += s.remaining();
      dictionary.putInt(end);
    }
    for (ByteBuffer s : byId) {
      dictionary.put(s.duplicate());
    }
    return new Encoded(indexEncoder.encode(indexes, rows), dictionary.flip());
  }

  /**
   * Decodes a chunk of {@code rows} strings of {@code stringBytes} bytes in all, checking the
   * dictionary's structure, every index and the total; {@code valid} tells null rows (bit set =
   * valid), or is {@code null} when none is null.
   */
  public static Decoded decode(ByteBuffer indexes, ByteBuffer dictionary, int rows, long stringBytes, ByteBuffer valid)
      throws LazyQFormatException {
    ByteBuffer d = dictionary.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int limit = d.limit();
    long k = limit < 4 ? -1 : Integer.toUnsignedLong(d.getInt(0));
    if (k < 0 || 4 + 4 * k > limit) {
      throw new LazyQFormatException(null, 0, "a string dictionary of " + limit + " bytes cannot hold " + k + " strings");
    }
    int base = 4 + 4 * (int) k;
    int[] ends = new int[(int) k];
    for (int i = 0; i < k; i++) {
      ends[i] = d.getInt(4 + 4 * i);
      if (ends[i] < (i == 0 ? 0 : ends[i - 1]) || ends[i] > limit - base) {
        throw new LazyQFormatException(null, 4 + 4L * i, "string " + i + " of the dictionary ends at " + ends[i]);
      }
    }
    if (k > 0 && ends[(int) k - 1] != limit - base || k == 0 && limit != 4) {
      throw new LazyQFormatException(null, 0, "the dictionary's strings do not fill its " + limit + " bytes");
    }
    long[] ids = new long[rows];
    BlockDecoder decoder = BlockDecoder.open(indexes, ValueKind.INT32, rows);
    try {
      decoder.readLongs(0, rows, ids, 0);
    } finally {
      decoder.release(); // a stream's planes go back to the pool
    }
    int[] rowIds = new int[rows];
    long total = 0;
    for (int r = 0; r < rows; r++) {
      boolean isNull = valid != null && (valid.get(r >>> 3) & (1 << (r & 7))) == 0;
      long id = ids[r];
      if (!isNull) {
        if (id < 0 || id >= k) {
          throw new LazyQFormatException(null, 0, "row " + r + " indexes string " + id + " of a dictionary of " + k);
        }
        total += ends[(int) id] - (id == 0 ? 0 : ends[(int) id - 1]);
        rowIds[r] = (int) id;
      }
      if (total > stringBytes) {
        throw new LazyQFormatException(null, 0, "the strings exceed the " + stringBytes + " bytes declared");
      }
    }
    if (total != stringBytes) {
      throw new LazyQFormatException(null, 0, "the strings hold " + total + " bytes, " + stringBytes + " declared");
    }
    byte[][] strings = new byte[(int) k][];
    for (int i = 0; i < k; i++) {
      int from = i == 0 ? 0 : ends[i - 1];
      strings[i] = new byte[ends[i] - from];
      d.get(base + from, strings[i]);
    }
    return new Decoded(rowIds, strings, (int) total, valid == null ? null : valid.duplicate());
  }
}
