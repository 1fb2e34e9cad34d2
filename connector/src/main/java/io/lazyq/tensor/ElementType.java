package io.lazyq.tensor;

import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The element type of a tensor: a {@link QuantType} (F32, F16, BF16 and the block types) or a
 * {@link PlainType} (F64 and the integer types). Sizes come from those two enums only.
 */
public final class ElementType {
  private static final Map<QuantType, ElementType> QUANT = new EnumMap<>(QuantType.class);
  private static final Map<PlainType, ElementType> PLAIN = new EnumMap<>(PlainType.class);

  static {
    for (QuantType t : QuantType.values()) {
      QUANT.put(t, new ElementType(t, null));
    }
    for (PlainType t : PlainType.values()) {
      PLAIN.put(t, new ElementType(null, t));
    }
  }

  private final QuantType quant;
  private final PlainType plain;

  private ElementType(QuantType quant, PlainType plain) {
    this.quant = quant;
    this.plain = plain;
  }

  public static ElementType of(QuantType type) {
    return QUANT.get(type);
  }

  public static ElementType of(PlainType type) {
    return PLAIN.get(type);
  }

  /** The type for a ggml type id, as GGUF stores it. */
  public static Optional<ElementType> byGgmlTypeId(int id) {
    Optional<QuantType> q = QuantType.byGgmlTypeId(id);
    return q.isPresent() ? q.map(ElementType::of) : PlainType.byGgmlTypeId(id).map(ElementType::of);
  }

  public Optional<QuantType> quantType() {
    return Optional.ofNullable(quant);
  }

  public Optional<PlainType> plainType() {
    return Optional.ofNullable(plain);
  }

  /** F32, F16 or BF16: the types a quantizer takes as input. */
  public boolean isFloat() {
    return quant == QuantType.F32 || quant == QuantType.F16 || quant == QuantType.BF16;
  }

  public String label() {
    return quant != null ? quant.label() : plain.label();
  }

  /** ggml's type id, or -1 where GGUF cannot hold this type. */
  public int ggmlTypeId() {
    return quant != null ? quant.ggmlTypeId() : plain.ggmlTypeId();
  }

  /** Values per block: 1 for plain and float types. */
  public int blockSize() {
    return quant != null ? quant.blockSize() : 1;
  }

  /** Bytes of {@code values} values; {@link ArithmeticException} on overflow. */
  public long byteSize(long values) {
    return quant != null ? quant.byteSize(values) : Math.multiplyExact(values, (long) plain.width());
  }

  /**
   * Decodes values {@code [first, first + count)} of a region that the caller has validated. Block
   * types go through their codec; plain types are converted to float.
   */
  void decode(ByteBuffer region, long first, int count, float[] dst, int off) {
    if (quant != null) {
      quant.codec().decode(region, first, count, dst, off);
    } else {
      plain.toFloat(region, first, count, dst, off);
    }
  }

  @Override
  public String toString() {
    return label();
  }
}
