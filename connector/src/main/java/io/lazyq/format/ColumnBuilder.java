package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import io.lazyq.lossless.BlockDecoder;
import io.lazyq.lossless.ValueKind;
import io.lazyq.quant.BlockCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Buffers one column's values for the chunk being written, in Arrow's layout, tracking nulls and
 * statistics as values arrive. {@link #encode()} turns them into the buffers of a column chunk.
 */
final class ColumnBuilder {
  private final Field field;
  private final ColumnType.Kind valueKind;
  private final Growable validity = new Growable();
  private final Growable offsets = new Growable();
  private final Growable values = new Growable();
  private int rows;
  private int nullCount;
  private long valueCount;
  private final MinMax minMax;
  private float[] scratch = new float[0];

  ColumnBuilder(Field field) {
    this.field = field;
    this.valueKind = field.type().isList() ? field.type().element() : field.type().kind();
    this.minMax = new MinMax(valueKind);
    reset();
  }

  Field field() {
    return field;
  }

  int rows() {
    return rows;
  }

  /** Bytes buffered, the measure by which a writer cuts chunks. */
  long bufferedBytes() {
    return (long) values.size() + offsets.size() + validity.size();
  }

  void reset() {
    validity.reset();
    offsets.reset();
    values.reset();
    rows = 0;
    nullCount = 0;
    valueCount = 0;
    minMax.reset();
    if (hasOffsets()) {
      offsets.putInt(0);
    }
  }

  void appendNull() {
    if (!field.nullable()) {
      throw new IllegalArgumentException("column '" + field.name() + "' is not nullable");
    }
    nextRow(false);
    nullCount++;
    if (hasOffsets()) {
      offsets.putInt((int) valueCount);
    } else {
      appendZero();
    }
  }

  void appendInt(int v) {
    expect(ColumnType.Kind.INT32, false);
    nextRow(true);
    values.putInt(v);
    minMax.accept(v);
    valueCount++;
  }

  void appendLong(long v) {
    if (valueKind != ColumnType.Kind.TIMESTAMP_MICROS) {
      expect(ColumnType.Kind.INT64, false);
    }
    nextRow(true);
    values.putLong(v);
    minMax.accept(v);
    valueCount++;
  }

  void appendFloat(float v) {
    expect(ColumnType.Kind.FLOAT32, false);
    nextRow(true);
    values.putFloat(v);
    minMax.accept(v);
    valueCount++;
  }

  void appendDouble(double v) {
    expect(ColumnType.Kind.FLOAT64, false);
    nextRow(true);
    values.putDouble(v);
    minMax.accept(v);
    valueCount++;
  }

  void appendBool(boolean v) {
    expect(ColumnType.Kind.BOOL, false);
    nextRow(true);
    appendBit(v);
    minMax.accept(v ? 1 : 0);
    valueCount++;
  }

  void appendUtf8(String s) {
    expect(ColumnType.Kind.UTF8, false);
    nextRow(true);
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    values.put(bytes);
    valueCount += bytes.length;
    checkOffset();
    offsets.putInt((int) valueCount);
  }

  void appendFloatList(float[] list, int from, int count) {
    expect(ColumnType.Kind.FLOAT32, true);
    nextRow(true);
    for (int i = 0; i < count; i++) {
      values.putFloat(list[from + i]);
      minMax.accept(list[from + i]);
    }
    endList(count);
  }

  void appendDoubleList(double[] list) {
    expect(ColumnType.Kind.FLOAT64, true);
    nextRow(true);
    for (double v : list) {
      values.putDouble(v);
      minMax.accept(v);
    }
    endList(list.length);
  }

  void appendIntList(int[] list) {
    expect(ColumnType.Kind.INT32, true);
    nextRow(true);
    for (int v : list) {
      values.putInt(v);
      minMax.accept(v);
    }
    endList(list.length);
  }

  void appendLongList(long[] list) {
    if (valueKind != ColumnType.Kind.TIMESTAMP_MICROS) {
      expect(ColumnType.Kind.INT64, true);
    }
    nextRow(true);
    for (long v : list) {
      values.putLong(v);
      minMax.accept(v);
    }
    endList(list.length);
  }

  void appendBoolList(boolean[] list) {
    expect(ColumnType.Kind.BOOL, true);
    nextRow(true);
    for (boolean v : list) {
      appendBit(v);
      minMax.accept(v ? 1 : 0);
      valueCount++;
    }
    valueCount -= list.length;
    endList(list.length);
  }

  /**
   * Appends every row of a view of the same column type, typed, without boxing: how a rewrite (a
   * re-encoding, a quantization) copies a chunk.
   */
  void appendAll(ColumnView v) {
    ColumnType type = field.type();
    float[] floats = null;
    for (int r = 0; r < v.rows(); r++) {
      if (v.isNull(r)) {
        appendNull();
        continue;
      }
      if (type.isList()) {
        if (type.element() == ColumnType.Kind.FLOAT32) {
          int n = v.listLength(r);
          if (floats == null || floats.length < n) {
            floats = new float[Math.max(n, 16)];
          }
          v.readListFloats(r, floats, 0);
          appendFloatList(floats, 0, n);
        } else {
          appendBoxedList(v.getObject(r));
        }
        continue;
      }
      switch (type.kind()) {
        case INT32: appendInt(v.getInt(r)); break;
        case INT64: case TIMESTAMP_MICROS: appendLong(v.getLong(r)); break;
        case FLOAT32: appendFloat(v.getFloat(r)); break;
        case FLOAT64: appendDouble(v.getDouble(r)); break;
        case BOOL: appendBool(v.getBool(r)); break;
        case UTF8: appendUtf8(v.getString(r)); break;
        default: throw new IllegalStateException(type.toString());
      }
    }
  }

  private void appendBoxedList(Object list) {
    switch (field.type().element()) {
      case FLOAT64: appendDoubleList((double[]) list); break;
      case INT32: appendIntList((int[]) list); break;
      case INT64: case TIMESTAMP_MICROS: appendLongList((long[]) list); break;
      case BOOL: appendBoolList((boolean[]) list); break;
      default: throw new IllegalStateException(field.type().toString());
    }
  }

  /**
   * The column chunk's buffers; quantized columns are encoded here, and their stats taken from the
   * decoded values. An error-bounded column under block encodings takes the smaller of the
   * quantized type's region and block encodings under its bound.
   */
  EncodedColumn encode() {
    ByteBuffer validityBytes = nullCount > 0 ? validity.view() : null;
    ByteBuffer offsetBytes = hasOffsets() ? offsets.view() : null;
    ByteBuffer valueBytes = values.view();
    ColumnStats stats;
    boolean blockEncoded = false;
    ByteBuffer plainBytes = valueBytes;
    float[] decodedValues = null;
    if (field.encoding().isQuantized()) {
      int n = (int) valueCount;
      ByteBuffer plain = valueBytes;
      float[] source = floats(valueBytes, n);
      BlockCodec codec = Encoders.forEncoding(field.encoding());
      ByteBuffer encoded = ByteBuffer.allocate(Math.toIntExact(codec.maxEncodedBytes(n))).order(ByteOrder.LITTLE_ENDIAN);
      codec.encode(source, 0, n, encoded);
      encoded.flip();
      valueBytes = encoded;
      boolean lightweight = field.encoding().lossless() == ColumnEncoding.Lossless.LIGHTWEIGHT;
      ByteBuffer blocks = field.encoding().lossless().blocks() && LosslessStage.boundedBlocksApply(field) && n > 0
          ? LosslessStage.encoder(ValueKind.FLOAT32, field.encoding().errorBound(), lightweight).encode(plain, n) : null;
      // The type's region may take zstd after this, as its column's stage (not a lightweight one):
      // the block encodings must beat that too.
      if (blocks != null && blocks.remaining() < (lightweight ? encoded.remaining()
          : Math.min(encoded.remaining(), LosslessStage.compress(encoded).remaining()))) {
        valueBytes = blocks;
        blockEncoded = true;
        try {
          BlockDecoder.open(blocks, ValueKind.FLOAT32, n).readFloats(0, n, source, 0);
        } catch (LazyQFormatException e) {
          throw new IllegalStateException("block encodings wrote a region they cannot read", e);
        }
      } else {
        codec.decode(encoded, 0, n, source, 0);
      }
      stats = floatStats(source, n, field.type().isList() || nullCount == 0 ? null : validity.view(), nullCount);
      decodedValues = source;
    } else {
      stats = minMax.stats(nullCount);
    }
    return new EncodedColumn(validityBytes, offsetBytes, valueBytes, valueCount, stats, blockEncoded, plainBytes,
        decodedValues);
  }

  /** The stats of {@code n} float values, those whose bit is set in {@code validity} where it is not {@code null}. */
  static ColumnStats floatStats(float[] decoded, int n, ByteBuffer validity, long nullCount) {
    MinMax decodedMinMax = new MinMax(ColumnType.Kind.FLOAT32);
    for (int i = 0; i < n; i++) {
      if (validity == null || (validity.get(i >>> 3) & (1 << (i & 7))) != 0) {
        decodedMinMax.accept(decoded[i]);
      }
    }
    return decodedMinMax.stats(nullCount);
  }

  private float[] floats(ByteBuffer bytes, int n) {
    if (scratch.length < n) {
      scratch = new float[n];
    }
    bytes.asFloatBuffer().get(scratch, 0, n);
    return scratch;
  }

  private boolean hasOffsets() {
    return field.type().isList() || field.type().kind() == ColumnType.Kind.UTF8;
  }

  private void endList(int count) {
    valueCount += count;
    checkOffset();
    offsets.putInt((int) valueCount);
  }

  private void checkOffset() {
    if (valueCount > Integer.MAX_VALUE) {
      throw new IllegalStateException("column '" + field.name() + "' exceeds 2^31 values in one chunk; lower chunkRows");
    }
  }

  private void nextRow(boolean valid) {
    if ((rows & 7) == 0) {
      validity.putByte((byte) 0);
    }
    if (valid) {
      validity.setBit(rows >>> 3, rows & 7);
    }
    rows++;
  }

  private void appendBit(boolean v) {
    long bit = valueCount;
    if ((bit & 7) == 0) {
      values.putByte((byte) 0);
    }
    if (v) {
      values.setBit((int) (bit >>> 3), (int) (bit & 7));
    }
  }

  /** A null row still occupies a slot in fixed-width buffers, as in Arrow. */
  private void appendZero() {
    switch (valueKind) {
      case INT32: values.putInt(0); break;
      case INT64: case TIMESTAMP_MICROS: values.putLong(0); break;
      case FLOAT32: values.putFloat(0f); break;
      case FLOAT64: values.putDouble(0d); break;
      case BOOL: appendBit(false); break;
      default: throw new IllegalStateException(valueKind.toString());
    }
    valueCount++;
  }

  private void expect(ColumnType.Kind kind, boolean list) {
    if (valueKind != kind || field.type().isList() != list) {
      throw new IllegalArgumentException("column '" + field.name() + "' is " + field.type() + ", not "
          + (list ? "list<" + kind.name().toLowerCase(Locale.ROOT) + ">" : kind.name().toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * One encoded column chunk, before placement in the frame.
   *
   * @param blockEncoded whether {@code values} are block encodings under the column's error bound
   *     (stored as they are, under {@link ColumnEncoding.Lossless#BLOCKS}) rather than its type's region
   * @param plain the values as written, in Arrow's layout
   * @param decoded a quantized column's values as a reader decodes them, or {@code null}; valid
   *     until the builder encodes again
   */
  record EncodedColumn(ByteBuffer validity, ByteBuffer offsets, ByteBuffer values, long valueCount, ColumnStats stats,
      boolean blockEncoded, ByteBuffer plain, float[] decoded) {}

  /** Running min and max, as longs or doubles by kind; NaN makes the max unbounded. */
  private static final class MinMax {
    private final boolean floating;
    private long minL;
    private long maxL;
    private double minD;
    private double maxD;
    private boolean seen;
    private boolean nan;

    MinMax(ColumnType.Kind kind) {
      this.floating = kind == ColumnType.Kind.FLOAT32 || kind == ColumnType.Kind.FLOAT64;
      reset();
    }

    void reset() {
      seen = false;
      nan = false;
      minL = Long.MAX_VALUE;
      maxL = Long.MIN_VALUE;
      minD = Double.POSITIVE_INFINITY;
      maxD = Double.NEGATIVE_INFINITY;
    }

    void accept(long v) {
      seen = true;
      minL = Math.min(minL, v);
      maxL = Math.max(maxL, v);
    }

    void accept(double v) {
      if (Double.isNaN(v)) {
        nan = true;
        return;
      }
      seen = true;
      minD = Math.min(minD, v);
      maxD = Math.max(maxD, v);
    }

    ColumnStats stats(long nulls) {
      if (!seen) {
        return nan ? new ColumnStats(nulls, Double.NEGATIVE_INFINITY, Double.NaN) : ColumnStats.nullsOnly(nulls);
      }
      if (floating) {
        return new ColumnStats(nulls, minD == 0.0 ? -0.0 : minD, nan ? Double.NaN : (maxD == 0.0 ? 0.0 : maxD));
      }
      return new ColumnStats(nulls, minL, maxL);
    }
  }
}
