package io.lazyq.arrow;

import io.lazyq.quant.QuantType;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The Arrow extension type {@code lazyq.quantized}: quantized blocks kept as they are stored, one
 * block per entry of {@code FixedSizeBinary(blockBytes)} storage. Its metadata is JSON, for
 * example {@code {"type":"q8_0","blockSize":32,"blockBytes":34,"values":1000,"errorBound":null}},
 * where {@code values} is the number of values the column holds in the file; only a chunk's last
 * block may hold fewer than {@code blockSize}.
 */
public final class QuantizedType extends ArrowType.ExtensionType {
  public static final String NAME = "lazyq.quantized";
  /** One member of the flat JSON object this type writes; no dependency on a JSON library. */
  private static final Pattern MEMBER = Pattern.compile("\"(\\w+)\"\\s*:\\s*(null|\"[^\"]*\"|[-+0-9.eE]+)");

  private final QuantType type;
  private final long values;
  private final double errorBound;

  public QuantizedType(QuantType type, long values, double errorBound) {
    if (!type.isFixedSize()) {
      throw new IllegalArgumentException(type.label() + " blocks vary in size: they have no fixed-size binary view");
    }
    this.type = type;
    this.values = values;
    this.errorBound = errorBound;
  }

  /** Makes {@code lazyq.quantized} known to Arrow's IPC and C Data readers; idempotent. */
  public static void register() {
    if (ExtensionTypeRegistry.lookup(NAME) == null) {
      ExtensionTypeRegistry.register(new QuantizedType(QuantType.Q8_0, 0, Double.NaN));
    }
  }

  public QuantType quantType() {
    return type;
  }

  /** Values in the column, across all its blocks in the file. */
  public long values() {
    return values;
  }

  /** The writer's maximum absolute error, or NaN. */
  public double errorBound() {
    return errorBound;
  }

  @Override
  public ArrowType storageType() {
    return new ArrowType.FixedSizeBinary(type.blockBytes());
  }

  @Override
  public String extensionName() {
    return NAME;
  }

  @Override
  public boolean extensionEquals(ExtensionType other) {
    return other instanceof QuantizedType q && q.type == type && q.values == values
        && Double.compare(q.errorBound, errorBound) == 0;
  }

  @Override
  public String serialize() {
    return "{\"type\":\"" + type.label() + "\",\"blockSize\":" + type.blockSize() + ",\"blockBytes\":"
        + type.blockBytes() + ",\"values\":" + values + ",\"errorBound\":"
        + (Double.isNaN(errorBound) ? "null" : Double.toString(errorBound)) + "}";
  }

  @Override
  public ArrowType deserialize(ArrowType storage, String metadata) {
    String label = null;
    long count = -1;
    double bound = Double.NaN;
    int blockSize = -1;
    try {
      Matcher m = MEMBER.matcher(metadata);
      while (m.find()) {
        String v = m.group(2);
        switch (m.group(1)) {
          case "type": label = v.startsWith("\"") ? v.substring(1, v.length() - 1) : null; break;
          case "blockSize": blockSize = Integer.parseInt(v); break;
          case "values": count = Long.parseLong(v); break;
          case "errorBound": bound = v.equals("null") ? Double.NaN : Double.parseDouble(v); break;
          default: break;
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(NAME + ": bad metadata " + metadata, e);
    }
    QuantType t = label == null ? null : QuantType.byLabel(label).orElse(null);
    if (t == null || !t.isFixedSize()) {
      throw new IllegalArgumentException(NAME + ": unknown block type in " + metadata);
    }
    QuantizedType q = new QuantizedType(t, count, bound);
    if (!q.storageType().equals(storage) || blockSize != t.blockSize()) {
      throw new IllegalArgumentException(NAME + ": storage " + storage + " does not match " + metadata);
    }
    return q;
  }

  @Override
  public FieldVector getNewVector(String name, FieldType fieldType, BufferAllocator allocator) {
    return new QuantizedVector(name, allocator, new FixedSizeBinaryVector(name, allocator, type.blockBytes()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantizedType q && extensionEquals(q);
  }

  @Override
  public int hashCode() {
    return Objects.hash(NAME, type, values, errorBound);
  }

  /** A vector of {@link QuantizedType} blocks; {@link #getObject} gives a block's bytes. */
  public static final class QuantizedVector extends ExtensionTypeVector<FixedSizeBinaryVector> {
    QuantizedVector(String name, BufferAllocator allocator, FixedSizeBinaryVector storage) {
      super(name, allocator, storage);
    }

    @Override
    public Object getObject(int index) {
      return getUnderlyingVector().getObject(index);
    }

    @Override
    public int hashCode(int index) {
      return getUnderlyingVector().hashCode(index);
    }

    @Override
    public int hashCode(int index, org.apache.arrow.memory.util.hash.ArrowBufHasher hasher) {
      return getUnderlyingVector().hashCode(index, hasher);
    }
  }
}
