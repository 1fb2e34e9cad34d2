package io.lazyq.tensor;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Plain numeric element types that are not block types: Safetensors' F64 and integer dtypes, and
 * ggml's I8..I64 and F64. Float element types (F32, F16, BF16) are {@link io.lazyq.quant.QuantType}s.
 *
 * <p>Values convert to float for reading (F64 and I32/I64 may lose precision; BOOL reads as 0 or 1).
 */
public enum PlainType {
  F64("f64", 8, 28),
  I8("i8", 1, 24),
  U8("u8", 1, -1),
  I16("i16", 2, 25),
  I32("i32", 4, 26),
  I64("i64", 8, 27),
  BOOL("bool", 1, -1);

  private final String label;
  private final int width;
  private final int ggmlTypeId;

  PlainType(String label, int width, int ggmlTypeId) {
    this.label = label;
    this.width = width;
    this.ggmlTypeId = ggmlTypeId;
  }

  public String label() {
    return label;
  }

  /** Bytes per value. */
  public int width() {
    return width;
  }

  /** ggml's type id, or -1 where GGUF cannot hold this type. */
  public int ggmlTypeId() {
    return ggmlTypeId;
  }

  public static Optional<PlainType> byGgmlTypeId(int id) {
    for (PlainType t : values()) {
      if (t.ggmlTypeId == id && id >= 0) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Converts values {@code [first, first + count)} of a little-endian region to float. */
  void toFloat(ByteBuffer region, long first, int count, float[] dst, int off) {
    int at = Math.toIntExact(first * width);
    for (int i = 0; i < count; i++, at += width) {
      dst[off + i] = value(region, at);
    }
  }

  private float value(ByteBuffer r, int at) {
    switch (this) {
      case F64: return (float) r.getDouble(at);
      case I8: return r.get(at);
      case U8: return r.get(at) & 0xff;
      case I16: return r.getShort(at);
      case I32: return r.getInt(at);
      case I64: return r.getLong(at);
      default: return r.get(at) != 0 ? 1f : 0f;
    }
  }
}
