package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import io.lazyq.lossless.BlockDecoder;
import io.lazyq.lossless.StringDictionary;
import io.lazyq.lossless.ValueKind;
import io.lazyq.quant.BlockCodec;
import io.lazyq.storage.Region;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Read access to one column of one chunk, over bytes that stay where they are: a mapped region of
 * a local file, a range of a remote one fetched into a pooled buffer, or a sequential reader's
 * reused buffer.
 *
 * <p>Construction validates everything that later reads rely on (buffer bounds, list and string
 * offsets, quantized block structure), so accessors need no checks beyond the JVM's own, with one
 * exception: each block of block-encoded values is checked when a read first touches it, and a
 * damaged one makes that read throw {@link LazyQFormatException} (undeclared) with the file and
 * offset. The raw
 * buffers ({@link #valuesBuffer()} and friends) are zero-copy slices, laid out as Arrow lays them.
 * A view is valid until its owner releases the bytes: for a sequential reader, until its next
 * chunk; for a mapped file, until {@link #close()}.
 *
 * <p>Block-encoded values ({@link ColumnEncoding.Lossless#BLOCKS}) are decoded per range by
 * {@link #readFloats}, {@link #readDoubles} and {@link #readLongs}; the other accessors and
 * {@link #valuesBuffer()} decode the whole column chunk into the heap once, on first use. An
 * error-bounded column's chunk may hold block encodings under its bound: it reads as any
 * error-bounded chunk does, and its {@link #valuesBuffer()} (the raw blocks that
 * {@link RowBlocks} shows) holds the decoded values as an error-bounded region of exact blocks.
 * A view is not thread-safe.
 */
public final class ColumnView implements Closeable {
  private final Field field;
  private final ColumnChunk chunk;
  private final int rows;
  private final ByteBuffer validity;
  /** Offsets of a utf8 or list column; for a dictionary-encoded chunk, {@code null} until first built. */
  private ByteBuffer offsets;
  /** Plain values; for block-encoded ones, {@code null} until first decoded whole. */
  private ByteBuffer values;
  private final BlockDecoder blocks;
  private final BlockCodec codec;
  private final Region owner;
  /** How a derived chunk follows from its sources, or {@code null}. */
  private final String derivedSummary;
  private final String source;
  private final long regionOffset;
  private final float[] one = new float[256];
  /** A dictionary-encoded utf8 chunk's decoded dictionary; null for any other chunk. */
  private final StringDictionary.Decoded dictionary;
  /** The buffer {@link #valuesRange} decodes into, reused from call to call. */
  private ByteBuffer range;
  /** The array of the column's kind that {@link #decodeRange} decodes into first, reused from call to call. */
  private Object scratch;

  /**
   * @param region the column's bytes, index 0 at the column's region start
   * @param source the file or stream name for errors
   * @param regionOffset the absolute offset of the region, for errors
   * @param owner released by {@link #close()}, or {@code null}
   */
  public ColumnView(Field field, ColumnChunk chunk, int rows, ByteBuffer region, String source, long regionOffset,
      Region owner) throws LazyQFormatException {
    this(field, chunk, rows, region, source, regionOffset, owner, null);
  }

  /**
   * A view whose chunk may be derived from other columns ({@link ColumnEncoding.Lossless#DERIVED}):
   * {@code derived} holds its values, decoded by the file or stream that could open its sources.
   */
  ColumnView(Field field, ColumnChunk chunk, int rows, ByteBuffer region, String source, long regionOffset,
      Region owner, Derivation.Values derived) throws LazyQFormatException {
    this.field = field;
    this.derivedSummary = derived == null ? null : derived.summary();
    this.chunk = chunk;
    this.rows = rows;
    this.owner = owner;
    this.source = source;
    this.regionOffset = regionOffset;
    if (region.limit() != chunk.length()) {
      throw new LazyQFormatException(source, regionOffset, "column '" + field.name() + "' region holds "
          + region.limit() + " bytes, its descriptor " + chunk.length());
    }
    this.validity = stored(region, chunk.validity(), 0, source, regionOffset);
    boolean dictionary = chunk.compression() == ColumnEncoding.Lossless.BLOCKS && LosslessStage.isUtf8(field.type());
    StringDictionary.Decoded decodedDictionary = null;
    if (dictionary) {
      ByteBuffer indexes = slice(region, chunk.offsets());
      ByteBuffer strings = slice(region, chunk.values());
      try {
        StringDictionary.Decoded d = StringDictionary.decode(indexes == null ? ByteBuffer.allocate(0) : indexes,
            strings == null ? ByteBuffer.allocate(0) : strings, rows, chunk.valueCount(), validity);
        decodedDictionary = d; // its plain buffers are built on first use, by offsets() and plain()
      } catch (LazyQFormatException e) {
        throw e.locate(source, regionOffset + chunk.offsets().offset());
      }
    } else {
      this.offsets = stored(region, chunk.offsets(), 0, source, regionOffset);
    }
    int delta = chunk.compression() == ColumnEncoding.Lossless.DELTA_ZSTD ? LosslessStage.deltaWidth(field.type()) : 0;
    if (chunk.compression() == ColumnEncoding.Lossless.DELTA_ZSTD && delta == 0) {
      throw new LazyQFormatException(source, regionOffset, "column '" + field.name() + "' of type " + field.type()
          + " cannot be delta-coded");
    }
    this.dictionary = decodedDictionary;
    if (dictionary) {
      this.blocks = null;
      this.values = null;
    } else if (chunk.compression() == ColumnEncoding.Lossless.DERIVED) {
      if (derived == null || derived.values().remaining() != 4L * rows || !Derivation.canDerive(field)) {
        throw new LazyQFormatException(source, regionOffset, "column '" + field.name() + "' is derived from other"
            + " columns, which " + (derived == null ? "this reader did not open" : "do not give its values"));
      }
      this.blocks = null;
      if (field.encoding().isQuantized()) {
        float[] f = new float[rows];
        derived.values().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        this.values = exactRegion(f);
      } else {
        this.values = derived.values().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      }
    } else if (chunk.compression() == ColumnEncoding.Lossless.BLOCKS) {
      ValueKind kind = LosslessStage.valueKind(field.type());
      if (kind == null || field.encoding().isQuantized() && !LosslessStage.boundedBlocksApply(field)) {
        throw new LazyQFormatException(source, regionOffset, "column '" + field.name() + "' of type " + field.type()
            + " cannot be block-encoded");
      }
      ByteBuffer encoded = slice(region, chunk.values());
      // The decoder names the file and absolute offsets itself, also in what a later read finds
      // (a block is checked when a read first touches it).
      this.blocks = BlockDecoder.open(encoded != null ? encoded : ByteBuffer.allocate(0), kind, chunk.valueCount(),
          source, regionOffset + chunk.values().offset());
      this.values = null;
    } else {
      this.blocks = null;
      ByteBuffer v = stored(region, chunk.values(), delta, source, regionOffset);
      this.values = v != null ? v : ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    if (offsets != null) {
      checkOffsets(source, regionOffset + chunk.offsets().offset());
    }
    if (field.encoding().isQuantized()) {
      codec = field.encoding().quant().codec();
      try {
        if (blocks == null) {
          codec.validate(values, chunk.valueCount());
        }
      } catch (LazyQFormatException e) {
        throw e.locate(source, regionOffset + chunk.values().offset());
      }
    } else {
      codec = null;
    }
  }

  /**
   * Checks every block of the view's block encodings, which a read checks only when it first
   * touches one: what {@code lazyq verify} and {@code verify=true} do. Nothing to do for other
   * columns, which construction checked whole.
   */
  public void checkBlocks() throws LazyQFormatException {
    if (blocks != null) {
      blocks.checkAll();
    }
  }

  /** The file or stream the view reads, for errors found by its users. */
  public String source() {
    return source;
  }

  /** The absolute offset of the column chunk's region in {@link #source()}. */
  public long regionOffset() {
    return regionOffset;
  }

  public Field field() {
    return field;
  }

  public ColumnChunk chunk() {
    return chunk;
  }

  public int rows() {
    return rows;
  }

  public boolean isQuantized() {
    return codec != null;
  }

  public boolean isNull(int row) {
    return validity != null && (validity.get(row >>> 3) & (1 << (row & 7))) == 0;
  }

  public int getInt(int row) {
    return plain().getInt(row << 2);
  }

  /** An int64 or a timestamp in microseconds. */
  public long getLong(int row) {
    return plain().getLong(row << 3);
  }

  public double getDouble(int row) {
    return plain().getDouble(row << 3);
  }

  public boolean getBool(int row) {
    return (values.get(row >>> 3) & (1 << (row & 7))) != 0;
  }

  /** A float32 value; a quantized column decodes just the block that holds it. */
  public float getFloat(int row) {
    if (codec == null) {
      return plain().getFloat(row << 2);
    }
    readFloats(row, 1, one, 0);
    return one[0];
  }

  /** Decodes (or copies) float values {@code [first, first + count)} into {@code dst}. */
  public void readFloats(long first, int count, float[] dst, int dstOff) {
    if (codec != null && blocks == null) {
      codec.decode(values, first, count, dst, dstOff);
    } else if (values == null || codec != null) {
      blocks.readFloats(first, count, dst, dstOff);
    } else {
      values.asFloatBuffer().get(Math.toIntExact(first), dst, dstOff, count);
    }
  }

  /** Decodes (or copies) float64 values {@code [first, first + count)} into {@code dst}. */
  public void readDoubles(long first, int count, double[] dst, int dstOff) {
    if (values == null) {
      blocks.readDoubles(first, count, dst, dstOff);
    } else {
      values.asDoubleBuffer().get(Math.toIntExact(first), dst, dstOff, count);
    }
  }

  /** Decodes (or copies) int64 or timestamp values {@code [first, first + count)} into {@code dst}. */
  public void readLongs(long first, int count, long[] dst, int dstOff) {
    if (values == null) {
      blocks.readLongs(first, count, dst, dstOff);
    } else {
      values.asLongBuffer().get(Math.toIntExact(first), dst, dstOff, count);
    }
  }

  /**
   * Whether the values of this plain column are block encodings that have not been decoded whole:
   * {@link #valuesRange} then decodes only a range's blocks.
   */
  public boolean isBlockEncoded() {
    return blocks != null && codec == null && values == null;
  }

  /**
   * Values {@code [first, first + count)} of a fixed-width column that is not a list, little-endian
   * in the type's layout: a slice of the plain values, or, for block encodings, just the blocks
   * that the range covers decoded into a buffer that the next call reuses (so a batch reader
   * decodes a chunk batch by batch rather than whole on its first batch).
   */
  public ByteBuffer valuesRange(long first, int count) {
    int w = field.type().kind().width();
    if (!isBlockEncoded()) {
      ByteBuffer plain = valuesBuffer();
      return plain.position(Math.toIntExact(first * w)).limit(Math.toIntExact((first + count) * w)).slice()
          .order(ByteOrder.LITTLE_ENDIAN);
    }
    if (range == null || range.capacity() < count * w) {
      range = ByteBuffer.allocate(Math.max(count, 4096) * w).order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer out = range.clear().limit(count * w);
    decodeRange(first, count, out);
    return out.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Decodes values {@code [first, first + count)} of a block-encoded column ({@link #isBlockEncoded})
   * into {@code dst} from its position, little-endian in the type's layout: how a reader fills a
   * buffer of its own (an Arrow buffer) without the copy that {@link #valuesRange} makes.
   */
  public void decodeRange(long first, int count, ByteBuffer dst) {
    if (!isBlockEncoded()) {
      throw new IllegalStateException("column '" + field.name() + "' is not block-encoded");
    }
    ByteBuffer out = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int size = Math.max(count, 4096);
    switch (field.type().kind()) {
      case FLOAT32: {
        float[] f = scratch instanceof float[] a && a.length >= count ? a : new float[size];
        scratch = f;
        blocks.readFloats(first, count, f, 0);
        out.asFloatBuffer().put(f, 0, count);
        break;
      }
      case FLOAT64: {
        double[] d = scratch instanceof double[] a && a.length >= count ? a : new double[size];
        scratch = d;
        blocks.readDoubles(first, count, d, 0);
        out.asDoubleBuffer().put(d, 0, count);
        break;
      }
      default: {
        long[] l = scratch instanceof long[] a && a.length >= count ? a : new long[size];
        scratch = l;
        blocks.readLongs(first, count, l, 0);
        if (field.type().kind().width() == 4) {
          int at = out.position();
          for (int i = 0; i < count; i++) {
            out.putInt(at + 4 * i, (int) l[i]);
          }
        } else {
          out.asLongBuffer().put(l, 0, count);
        }
      }
    }
  }

  /**
   * The lossless stage of this column chunk and, for block-encoded values, how many blocks use
   * each scheme, as {@code scheme=count} ({@code decimal/frame} is a decimal block whose integers
   * are a frame of reference): what {@code lazyq inspect} shows.
   */
  public String encodingSummary() {
    String stage = chunk.compression().name().toLowerCase(Locale.ROOT).replace('_', '+');
    if (derivedSummary != null) {
      return stage + " " + derivedSummary;
    }
    return blocks == null ? stage : stage + " " + blocks.schemeSummary();
  }

  /**
   * Plain values, decoding block-encoded ones whole on first use; for an error-bounded chunk of
   * block encodings, its decoded values as an error-bounded region of exact blocks (a bound of 0
   * keeps every value), so that raw readers see the type's layout.
   */
  private ByteBuffer plain() {
    if (values == null && dictionary != null) {
      values = dictionary.values();
    } else if (values == null && codec != null) {
      int n = Math.toIntExact(chunk.valueCount());
      float[] decoded = new float[n];
      blocks.readFloats(0, n, decoded, 0);
      values = exactRegion(decoded);
    } else if (values == null) {
      values = blocks.decodeAll();
    }
    return values;
  }

  /** Values as an error-bounded region of exact blocks (a bound of 0 keeps every value): the type's layout. */
  private static ByteBuffer exactRegion(float[] decoded) {
    io.lazyq.quant.BlockCodec exact = io.lazyq.quant.ErrorBoundedCodec.withBound(0);
    ByteBuffer region = ByteBuffer.allocate(Math.toIntExact(exact.maxEncodedBytes(decoded.length)))
        .order(ByteOrder.LITTLE_ENDIAN);
    exact.encode(decoded, 0, decoded.length, region);
    return region.flip();
  }

  public String getString(int row) {
    int start = offsets().getInt(row << 2);
    int end = offsets().getInt((row + 1) << 2);
    byte[] b = new byte[end - start];
    plain().get(start, b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * Whether this utf8 chunk is dictionary-encoded: its distinct strings then read by
   * {@link #dictionaryString}, and each row's by {@link #dictionaryId}, without a copy per row.
   */
  public boolean hasDictionary() {
    return dictionary != null;
  }

  /** The number of distinct strings of a dictionary-encoded chunk. */
  public int dictionarySize() {
    return dictionary.strings().length;
  }

  /** String {@code id} of a dictionary-encoded chunk's dictionary, as UTF-8 bytes (a copy). */
  public byte[] dictionaryString(int id) {
    return dictionary.strings()[id].clone();
  }

  /** The dictionary index of {@code row}'s string in a dictionary-encoded chunk; 0 for a null row. */
  public int dictionaryId(int row) {
    return dictionary.ids()[row];
  }

  /** Index of the first element of {@code row}'s list in the values buffer. */
  public int listStart(int row) {
    return offsets().getInt(row << 2);
  }

  public int listLength(int row) {
    return offsets().getInt((row + 1) << 2) - offsets().getInt(row << 2);
  }

  /** Element {@code i} of a {@code list<float32>} row; decodes only the bytes (or block) that hold it,
   * though a local file's compressed column chunk up to 16 MiB was read whole when the view opened. */
  public float getListFloat(int row, int i) {
    return getFloat(elementIndex(row, i));
  }

  public int getListInt(int row, int i) {
    return getInt(elementIndex(row, i));
  }

  public long getListLong(int row, int i) {
    return getLong(elementIndex(row, i));
  }

  public double getListDouble(int row, int i) {
    return getDouble(elementIndex(row, i));
  }

  public boolean getListBool(int row, int i) {
    return getBool(elementIndex(row, i));
  }

  /** Decodes a whole {@code list<float32>} row into {@code dst}; returns its length. */
  public int readListFloats(int row, float[] dst, int dstOff) {
    int n = listLength(row);
    readFloats(listStart(row), n, dst, dstOff);
    return n;
  }

  /**
   * The value of {@code row} boxed: {@link Integer}, {@link Long} (int64 and timestamps),
   * {@link Float}, {@link Double}, {@link Boolean}, {@link String}, a primitive array for lists, or
   * {@code null}. For tools and tests; scans use the typed accessors.
   */
  public Object getObject(int row) {
    if (isNull(row)) {
      return null;
    }
    ColumnType type = field.type();
    if (!type.isList()) {
      switch (type.kind()) {
        case INT32: return getInt(row);
        case INT64: case TIMESTAMP_MICROS: return getLong(row);
        case FLOAT32: return getFloat(row);
        case FLOAT64: return getDouble(row);
        case BOOL: return getBool(row);
        case UTF8: return getString(row);
        default: throw new IllegalStateException(type.toString());
      }
    }
    int start = listStart(row);
    int n = listLength(row);
    switch (type.element()) {
      case FLOAT32: {
        float[] a = new float[n];
        readFloats(start, n, a, 0);
        return a;
      }
      case FLOAT64: {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = getDouble(start + i);
        }
        return a;
      }
      case INT32: {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
          a[i] = getInt(start + i);
        }
        return a;
      }
      case INT64: case TIMESTAMP_MICROS: {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
          a[i] = getLong(start + i);
        }
        return a;
      }
      case BOOL: {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          a[i] = getBool(start + i);
        }
        return a;
      }
      default: throw new IllegalStateException(type.toString());
    }
  }

  /** The validity bitmap (bit set = valid), or {@code null} when no value is null. */
  public ByteBuffer validityBuffer() {
    return validity == null ? null : validity.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The int32 offsets of a utf8 or list column, or {@code null}. */
  public ByteBuffer offsetsBuffer() {
    ByteBuffer o = offsets();
    return o == null ? null : o.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The offsets, built from the dictionary on first use for a dictionary-encoded chunk. */
  private ByteBuffer offsets() {
    if (offsets == null && dictionary != null) {
      offsets = dictionary.offsets();
    }
    return offsets;
  }

  /** The values: plain values, utf8 bytes, list elements or quantized blocks. */
  public ByteBuffer valuesBuffer() {
    return plain().duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * What {@link #close()} releases: for a random-access file its {@link Region}, which a
   * zero-copy consumer retains for as long as it points into the bytes; {@code null} for a
   * sequential reader's buffer, which is reused and must be copied.
   */
  public Region owner() {
    return owner;
  }

  /** Releases the bytes under this view; the view must not be used afterwards. */
  @Override
  public void close() {
    if (blocks != null) {
      blocks.release();
    }
    if (owner != null) {
      owner.close();
    }
  }

  private int elementIndex(int row, int i) {
    int start = offsets().getInt(row << 2);
    int end = offsets().getInt((row + 1) << 2);
    if (i < 0 || i >= end - start) {
      throw new IndexOutOfBoundsException("element " + i + " of a list of " + (end - start));
    }
    return start + i;
  }

  /** A buffer as readers see it: a slice of the region, or its decoded form under a lossless stage. */
  private ByteBuffer stored(ByteBuffer region, BufferRef ref, int deltaWidth, String source, long regionOffset)
      throws LazyQFormatException {
    ByteBuffer b = slice(region, ref);
    if (b == null && ref.decodedLength() > 0 && chunk.compression() != ColumnEncoding.Lossless.NONE) {
      throw new LazyQFormatException(source, regionOffset + ref.offset(), "a buffer of " + ref.decodedLength()
          + " decoded bytes stores none");
    }
    if (b == null || chunk.compression() == ColumnEncoding.Lossless.NONE) {
      return b;
    }
    return LosslessStage.decompress(b, ref.decodedLength(), deltaWidth, source, regionOffset + ref.offset());
  }

  private static ByteBuffer slice(ByteBuffer region, BufferRef ref) {
    if (!ref.isPresent()) {
      return null;
    }
    return region.duplicate().position((int) ref.offset()).limit((int) ref.end()).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Offsets start at 0, never decrease, and end at the values' size. */
  private void checkOffsets(String source, long absolute) throws LazyQFormatException {
    long end = field.type().isList() ? chunk.valueCount() : plain().limit();
    if (field.type().kind() == ColumnType.Kind.UTF8 && chunk.valueCount() != end) {
      throw new LazyQFormatException(source, absolute, "column '" + field.name() + "' counts " + chunk.valueCount()
          + " string bytes but stores " + end);
    }
    int previous = 0;
    for (int i = 0; i <= rows; i++) {
      int o = offsets.getInt(i << 2);
      if (i == 0 ? o != 0 : o < previous) {
        throw new LazyQFormatException(source, absolute + 4L * i, "column '" + field.name() + "' offset " + i
            + " is " + o + " after " + previous);
      }
      previous = o;
    }
    if (previous != end) {
      throw new LazyQFormatException(source, absolute + 4L * rows, "column '" + field.name() + "' offsets end at "
          + previous + ", its values at " + end);
    }
  }
}
