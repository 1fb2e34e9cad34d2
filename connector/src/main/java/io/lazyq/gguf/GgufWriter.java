package io.lazyq.gguf;

import io.lazyq.Closeables;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.Shapes;
import io.lazyq.tensor.TensorFileWriter;
import io.lazyq.tensor.TensorSpec;
import io.lazyq.tensor.ValueType;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF v3 file in one pass. Tensors are packed as ggml's reader requires: each offset is
 * the running sum of the previous tensors' sizes, each padded to the alignment, in declaration
 * order. The alignment is {@code general.alignment} if the metadata sets it (a power-of-two u32),
 * else 32.
 *
 * <pre>{@code
 * try (GgufWriter w = GgufWriter.create(out, metadata, specs)) {
 *   for (TensorSpec s : specs) w.writeTensor(s.name(), bytesOf(s));
 * } // renamed onto out here
 * }</pre>
 */
public final class GgufWriter extends TensorFileWriter {
  private final long alignment;

  private GgufWriter(Path target, Metadata metadata, List<TensorSpec> tensors) throws IOException {
    super(target, tensors);
    this.alignment = alignment(metadata);
    try {
      put(header(metadata, tensors));
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, this);
      throw e;
    }
  }

  /**
   * Starts writing {@code target}; the header is written at once.
   *
   * @throws IllegalArgumentException if a tensor cannot be stored in GGUF (name of 64 bytes or
   *     more, over 4 dimensions, a type without a ggml id, rows of partial blocks)
   */
  public static GgufWriter create(Path target, Metadata metadata, List<TensorSpec> tensors)
      throws IOException {
    for (TensorSpec t : tensors) {
      check(t);
    }
    alignment(metadata);
    return new GgufWriter(target, metadata, tensors);
  }

  @Override
  protected long paddingAfter(long bytes) {
    return GgufFile.pad(bytes, alignment) - bytes;
  }

  /** Size of the file that {@link #create} writes for this metadata and these tensors. */
  public static long fileSize(Metadata metadata, List<TensorSpec> tensors) {
    long a = alignment(metadata);
    long size = headerSize(metadata, tensors);
    for (TensorSpec t : tensors) {
      size = Math.addExact(size, GgufFile.pad(t.byteSize(), a));
    }
    return size;
  }

  /** Bytes of the header, padding to the data section included. */
  public static long headerSize(Metadata metadata, List<TensorSpec> tensors) {
    long n = 4 + 4 + 8 + 8;
    for (Map.Entry<String, MetadataValue> e : metadata.asMap().entrySet()) {
      n += stringSize(e.getKey()) + 4 + valueSize(e.getValue());
    }
    for (TensorSpec t : tensors) {
      n += stringSize(t.name()) + 4 + 8L * t.shape().length + 4 + 8;
    }
    return GgufFile.pad(n, alignment(metadata));
  }

  static long alignment(Metadata metadata) {
    MetadataValue v = metadata.get(GgufFile.ALIGNMENT_KEY).orElse(null);
    if (v == null) {
      return GgufFile.DEFAULT_ALIGNMENT;
    }
    if (v.type() != ValueType.UINT32 || v.asLong() == 0 || (v.asLong() & (v.asLong() - 1)) != 0) {
      throw new IllegalArgumentException(GgufFile.ALIGNMENT_KEY
          + " must be a power-of-two uint32, not " + v);
    }
    return v.asLong();
  }

  static void check(TensorSpec t) {
    int nameBytes = t.name().getBytes(StandardCharsets.UTF_8).length;
    String problem = null;
    if (nameBytes > GgufFile.MAX_NAME_BYTES) {
      problem = "its name has " + nameBytes + " bytes, over GGUF's " + GgufFile.MAX_NAME_BYTES;
    } else if (t.shape().length > GgufFile.MAX_DIMS) {
      problem = "it has " + t.shape().length + " dimensions, over GGUF's " + GgufFile.MAX_DIMS;
    } else if (t.type().ggmlTypeId() < 0) {
      problem = "GGUF has no type for " + t.type();
    } else if (Shapes.rowLength(t.shape()) % t.type().blockSize() != 0) {
      problem = "its rows of " + Shapes.rowLength(t.shape()) + " values are not whole blocks of "
          + t.type().blockSize();
    }
    if (problem != null) {
      throw new IllegalArgumentException("tensor '" + t.name() + "' cannot be stored in GGUF: "
          + problem);
    }
  }

  private static ByteBuffer header(Metadata metadata, List<TensorSpec> tensors) {
    long size = headerSize(metadata, tensors);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("GGUF header of " + size + " bytes is over 2 GiB");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(GgufFile.MAGIC).putInt(GgufFile.VERSION).putLong(tensors.size())
        .putLong(metadata.size());
    for (Map.Entry<String, MetadataValue> e : metadata.asMap().entrySet()) {
      putString(b, e.getKey());
      MetadataValue v = e.getValue();
      b.putInt(v.type().id());
      if (v.isArray()) {
        b.putInt(v.elementType().id()).putLong(v.length());
        for (int i = 0; i < v.length(); i++) {
          putScalar(b, v.elementType(), Array.get(v.value(), i));
        }
      } else {
        putScalar(b, v.type(), v.value());
      }
    }
    long offset = 0;
    long a = alignment(metadata);
    for (TensorSpec t : tensors) {
      putString(b, t.name());
      long[] ne = Shapes.reversed(t.shape());
      b.putInt(ne.length);
      for (long d : ne) {
        b.putLong(d);
      }
      b.putInt(t.type().ggmlTypeId()).putLong(offset);
      offset += GgufFile.pad(t.byteSize(), a);
    }
    // the rest is zero padding up to the data section
    b.position(b.capacity());
    return b.flip();
  }

  /** Writes one value; array elements come as stored (byte, short, int...), scalars boxed. */
  private static void putScalar(ByteBuffer b, ValueType t, Object v) {
    switch (t) {
      case UINT8: case INT8: case BOOL:
        b.put(v instanceof Boolean z ? (byte) (z ? 1 : 0) : ((Number) v).byteValue());
        break;
      case UINT16: case INT16: b.putShort(((Number) v).shortValue()); break;
      case UINT32: case INT32: b.putInt(((Number) v).intValue()); break;
      case UINT64: case INT64: b.putLong(((Number) v).longValue()); break;
      case FLOAT32: b.putFloat(((Number) v).floatValue()); break;
      case FLOAT64: b.putDouble(((Number) v).doubleValue()); break;
      default: putString(b, (String) v);
    }
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.putLong(bytes.length).put(bytes);
  }

  private static long stringSize(String s) {
    return 8L + s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static long valueSize(MetadataValue v) {
    if (!v.isArray()) {
      return v.type() == ValueType.STRING ? stringSize(v.asString()) : v.type().minBytes();
    }
    long n = 4 + 8;
    if (v.elementType() == ValueType.STRING) {
      for (String s : (String[]) v.value()) {
        n += stringSize(s);
      }
      return n;
    }
    return n + (long) v.length() * v.elementType().minBytes();
  }
}
