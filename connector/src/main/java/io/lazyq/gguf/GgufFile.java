package io.lazyq.gguf;

import io.lazyq.Closeables;
import io.lazyq.LazyQFormatException;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.MappedTensorFile;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.Shapes;
import io.lazyq.tensor.TensorFormat;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.ValueType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF file (versions 2 and 3, little-endian), read lazily: {@link #open} reads and checks the
 * header, metadata and tensor infos; tensor data is mapped on first use.
 *
 * <p>Limits follow ggml's {@code gguf.cpp}: names under 64 bytes, at most 4 dimensions, element
 * counts that fit an int64, rows of whole blocks, a power-of-two {@code general.alignment} (u32,
 * default 32). Strings are capped at 1 GiB and arrays at 2^30 elements, and every count and length
 * is also checked against the bytes left in the file before anything is allocated for it. Tensor
 * data must be aligned, inside the file and not overlapping; unlike ggml, gaps between tensors are
 * accepted.
 */
public final class GgufFile extends MappedTensorFile {
  /** "GGUF" read as a little-endian u32. */
  public static final int MAGIC = 0x46554747;
  public static final int VERSION = 3;
  public static final String ALIGNMENT_KEY = "general.alignment";
  public static final int DEFAULT_ALIGNMENT = 32;
  /** ggml's GGML_MAX_NAME (64) counts the terminating NUL. */
  public static final int MAX_NAME_BYTES = 63;
  public static final int MAX_DIMS = 4;
  static final long MAX_STRING_BYTES = 1L << 30;
  static final long MAX_ARRAY_ELEMENTS = 1L << 30;
  /** The smallest tensor info: name length, n_dims, type, offset. */
  private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
  /** The smallest key/value: key length, type, a one-byte value. */
  private static final int MIN_KV_BYTES = 8 + 4 + 1;

  private final int version;
  private final long alignment;
  private final long dataStart;

  private GgufFile(Path path, FileChannel channel, Header h) {
    super(path, channel, h.tensors, h.metadata);
    this.version = h.version;
    this.alignment = h.alignment;
    this.dataStart = h.dataStart;
  }

  /** Opens and checks a GGUF file; {@link LazyQFormatException} for anything malformed. */
  public static GgufFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new GgufFile(path, channel, readHeader(new HeaderCursor(path.toString(), channel)));
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, channel);
      throw e;
    }
  }

  @Override
  public TensorFormat format() {
    return TensorFormat.GGUF;
  }

  public int version() {
    return version;
  }

  public long alignment() {
    return alignment;
  }

  /** Absolute offset of the data section, which tensor offsets in the file are relative to. */
  public long dataStart() {
    return dataStart;
  }

  private static final class Header {
    int version;
    Metadata metadata;
    long alignment = DEFAULT_ALIGNMENT;
    List<TensorInfo> tensors = new ArrayList<>();
    long dataStart;
  }

  private static Header readHeader(HeaderCursor in) throws IOException {
    Header h = new Header();
    if (in.size() < 4 || in.i32("magic") != MAGIC) {
      throw in.fail(0, "not a GGUF file (no GGUF magic)");
    }
    h.version = readVersion(in);
    long at = in.offset();
    long tensorCount = in.i64("tensor count");
    long kvCount = in.i64("metadata key count");
    long left = in.remaining();
    if (tensorCount < 0 || tensorCount > left / MIN_TENSOR_INFO_BYTES) {
      throw in.fail(at, "tensor count " + Long.toUnsignedString(tensorCount) + " cannot fit the "
          + left + " bytes left (each tensor info takes at least " + MIN_TENSOR_INFO_BYTES + ")");
    }
    left -= tensorCount * MIN_TENSOR_INFO_BYTES;
    if (kvCount < 0 || kvCount > left / MIN_KV_BYTES) {
      throw in.fail(at + 8, "metadata key count " + Long.toUnsignedString(kvCount)
          + " cannot fit the " + left + " bytes left besides the tensor infos (each key takes at"
          + " least " + MIN_KV_BYTES + ")");
    }
    h.metadata = readMetadata(in, kvCount, h);
    List<Long> offsetFields = new ArrayList<>();
    List<Long> relative = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (long i = 0; i < tensorCount; i++) {
      readTensorInfo(in, h, names, offsetFields, relative);
    }
    h.dataStart = pad(in.offset(), h.alignment);
    placeTensors(in, h, offsetFields, relative);
    return h;
  }

  private static int readVersion(HeaderCursor in) throws IOException {
    long at = in.offset();
    int v = in.i32("version");
    if (v == 0) {
      throw in.fail(at, "bad GGUF version 0");
    }
    if ((v & 0xFFFF) == 0) {
      throw in.fail(at, String.format("version field reads 0x%08x: a big-endian GGUF file?"
          + " only little-endian GGUF is supported", v));
    }
    if (v == 1) {
      throw in.fail(at, "GGUF version 1 is not supported (only versions 2 and 3)");
    }
    if (v < 0 || v > VERSION) {
      throw in.fail(at, "GGUF version " + Integer.toUnsignedString(v)
          + " is newer than version 3, the latest this reader knows");
    }
    return v;
  }

  private static Metadata readMetadata(HeaderCursor in, long count, Header h) throws IOException {
    Map<String, MetadataValue> kv = new LinkedHashMap<>();
    for (long i = 0; i < count; i++) {
      long keyAt = in.offset();
      String key = in.string(MAX_STRING_BYTES, "metadata key");
      if (kv.containsKey(key)) {
        throw in.fail(keyAt, "duplicate metadata key '" + key + "'");
      }
      long valueAt = in.offset();
      MetadataValue value = readValue(in, key);
      if (key.equals(ALIGNMENT_KEY)) {
        if (value.type() != ValueType.UINT32) {
          throw in.fail(valueAt, ALIGNMENT_KEY + " must be a uint32, not " + value);
        }
        long a = value.asLong();
        if (a == 0 || (a & (a - 1)) != 0) {
          throw in.fail(valueAt, ALIGNMENT_KEY + " " + a + " is not a power of two");
        }
        h.alignment = a;
      }
      kv.put(key, value);
    }
    return Metadata.of(kv);
  }

  private static ValueType valueType(HeaderCursor in, String what) throws IOException {
    long at = in.offset();
    int id = in.i32(what);
    return ValueType.byId(id).orElseThrow(() -> in.fail(at, "unknown " + what + " " + id));
  }

  private static MetadataValue readValue(HeaderCursor in, String key) throws IOException {
    ValueType type = valueType(in, "value type of '" + key + "'");
    if (type != ValueType.ARRAY) {
      return readScalar(in, type, key);
    }
    long elemAt = in.offset();
    ValueType elem = valueType(in, "element type of '" + key + "'");
    if (elem == ValueType.ARRAY) {
      throw in.fail(elemAt, "'" + key + "' is an array of arrays, which is not supported");
    }
    long countAt = in.offset();
    long n = in.i64("element count of '" + key + "'");
    if (n < 0 || n > MAX_ARRAY_ELEMENTS) {
      throw in.fail(countAt, "array '" + key + "' of " + Long.toUnsignedString(n)
          + " elements exceeds 2^30 elements");
    }
    if (n > in.remaining() / elem.minBytes()) {
      throw in.fail(countAt, "array '" + key + "' of " + n + " " + elem.label()
          + " elements cannot fit the " + in.remaining() + " bytes left");
    }
    return MetadataValue.array(elem, readElements(in, elem, (int) n, key));
  }

  private static Object readElements(HeaderCursor in, ValueType t, int n, String key)
      throws IOException {
    String what = "element of '" + key + "'";
    switch (t) {
      case UINT8: case INT8: {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) a[i] = (byte) in.u8(what);
        return a;
      }
      case UINT16: case INT16: {
        short[] a = new short[n];
        for (int i = 0; i < n; i++) a[i] = in.i16(what);
        return a;
      }
      case UINT32: case INT32: {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = in.i32(what);
        return a;
      }
      case UINT64: case INT64: {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = in.i64(what);
        return a;
      }
      case FLOAT32: {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = in.f32(what);
        return a;
      }
      case FLOAT64: {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = in.f64(what);
        return a;
      }
      case BOOL: {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) a[i] = readBool(in, what);
        return a;
      }
      default: {
        String[] a = new String[n];
        for (int i = 0; i < n; i++) a[i] = in.string(MAX_STRING_BYTES, what);
        return a;
      }
    }
  }

  private static MetadataValue readScalar(HeaderCursor in, ValueType t, String key)
      throws IOException {
    String what = "value of '" + key + "'";
    switch (t) {
      case UINT8: return MetadataValue.integer(t, in.u8(what));
      case INT8: return MetadataValue.integer(t, (byte) in.u8(what));
      case UINT16: return MetadataValue.integer(t, Short.toUnsignedInt(in.i16(what)));
      case INT16: return MetadataValue.integer(t, in.i16(what));
      case UINT32: return MetadataValue.integer(t, in.u32(what));
      case INT32: return MetadataValue.integer(t, in.i32(what));
      case UINT64: case INT64: return MetadataValue.integer(t, in.i64(what));
      case FLOAT32: return MetadataValue.float32(in.f32(what));
      case FLOAT64: return MetadataValue.float64(in.f64(what));
      case BOOL: return MetadataValue.bool(readBool(in, what));
      default: return MetadataValue.string(in.string(MAX_STRING_BYTES, what));
    }
  }

  private static boolean readBool(HeaderCursor in, String what) throws IOException {
    long at = in.offset();
    int b = in.u8(what);
    if (b > 1) {
      throw in.fail(at, what + ": bool byte " + b + " is neither 0 nor 1");
    }
    return b == 1;
  }

  private static void readTensorInfo(HeaderCursor in, Header h, Set<String> names,
      List<Long> offsetFields, List<Long> relative) throws IOException {
    long at = in.offset();
    String name = in.string(MAX_NAME_BYTES, "tensor name");
    if (!names.add(name)) {
      throw in.fail(at, "duplicate tensor name '" + name + "'");
    }
    long dimsAt = in.offset();
    long nDims = in.u32("dimension count of '" + name + "'");
    if (nDims > MAX_DIMS) {
      throw in.fail(dimsAt, "tensor '" + name + "' has " + nDims + " dimensions, over ggml's "
          + MAX_DIMS);
    }
    long[] ne = new long[(int) nDims];
    for (int d = 0; d < nDims; d++) {
      long neAt = in.offset();
      ne[d] = in.i64("dimension of '" + name + "'");
      if (ne[d] < 0) {
        throw in.fail(neAt, "tensor '" + name + "' has a negative dimension " + ne[d]);
      }
    }
    long[] shape = Shapes.reversed(ne);
    long count;
    try {
      count = Shapes.elementCount(shape);
    } catch (ArithmeticException e) {
      throw in.fail(dimsAt, "tensor '" + name + "': the element count of ne "
          + java.util.Arrays.toString(ne) + " overflows int64");
    }
    long typeAt = in.offset();
    int typeId = in.i32("type of '" + name + "'");
    ElementType type = ElementType.byGgmlTypeId(typeId).orElseThrow(
        () -> in.fail(typeAt, "tensor '" + name + "' has unknown ggml type id " + typeId));
    long rowLength = Shapes.rowLength(shape);
    if (rowLength % type.blockSize() != 0) {
      throw in.fail(typeAt, "tensor '" + name + "' of type " + type + " has rows of " + rowLength
          + " values, not a multiple of the block size " + type.blockSize());
    }
    long bytes;
    try {
      bytes = type.byteSize(count);
    } catch (ArithmeticException e) {
      throw in.fail(typeAt, "tensor '" + name + "': its byte size overflows int64");
    }
    long offsetAt = in.offset();
    long offset = in.i64("data offset of '" + name + "'");
    if (offset < 0 || offset % h.alignment != 0) {
      throw in.fail(offsetAt, "tensor '" + name + "' has data offset "
          + Long.toUnsignedString(offset) + ", not a multiple of the alignment " + h.alignment);
    }
    offsetFields.add(offsetAt);
    relative.add(offset);
    // The absolute offset is not known until the data section starts: placeTensors rebases it.
    h.tensors.add(new TensorInfo(name, type, shape, count, bytes, 0));
  }

  /** Rebases tensor offsets on the data section, and checks them against the file and each other. */
  private static void placeTensors(HeaderCursor in, Header h, List<Long> offsetFields,
      List<Long> relative) throws LazyQFormatException {
    List<TensorInfo> placed = new ArrayList<>(h.tensors.size());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < h.tensors.size(); i++) {
      TensorInfo t = h.tensors.get(i);
      long start = h.dataStart + relative.get(i);
      if (start < 0 || start > in.size() || t.byteSize() > in.size() - start) {
        throw in.fail(offsetFields.get(i), "tensor '" + t.name() + "' data (" + t.byteSize()
            + " bytes at offset " + relative.get(i) + " of the data section at " + h.dataStart
            + ") runs past the end of the file (" + in.size() + " bytes)");
      }
      placed.add(new TensorInfo(t.name(), t.type(), t.shape(), t.elementCount(), t.byteSize(),
          start));
      order.add(i);
    }
    order.sort(Comparator.comparingLong(i -> placed.get(i).dataOffset()));
    for (int k = 1; k < order.size(); k++) {
      TensorInfo prev = placed.get(order.get(k - 1));
      TensorInfo cur = placed.get(order.get(k));
      if (cur.dataOffset() < prev.dataEnd()) {
        throw in.fail(offsetFields.get(order.get(k)), "tensor '" + cur.name() + "' data ["
            + cur.dataOffset() + ", " + cur.dataEnd() + ") overlaps tensor '" + prev.name()
            + "' [" + prev.dataOffset() + ", " + prev.dataEnd() + ")");
      }
    }
    h.tensors = placed;
  }

  static long pad(long n, long alignment) {
    return (n + alignment - 1) & -alignment;
  }
}
