package io.lazyq.quant;

import java.util.Locale;
import java.util.Optional;

/**
 * Every block type LazyQ knows: ggml's, as GGUF stores them, and LazyQ's own sensor codecs.
 *
 * <p>This enum is the single definition of each block layout (values per block, bytes per block,
 * identifiers). Readers, writers and kernels all take the layout from here.
 */
public enum QuantType {
  F32("f32", 0, 0, 1, 4),
  F16("f16", 1, 1, 1, 2),
  Q4_0("q4_0", 2, 2, 32, 18),
  Q4_1("q4_1", 3, 3, 32, 20),
  Q5_0("q5_0", 6, 6, 32, 22),
  Q5_1("q5_1", 7, 7, 32, 24),
  Q8_0("q8_0", 8, 8, 32, 34),
  Q2_K("q2_K", 10, 10, 256, 84),
  Q3_K("q3_K", 11, 11, 256, 110),
  Q4_K("q4_K", 12, 12, 256, 144),
  Q5_K("q5_K", 13, 13, 256, 176),
  Q6_K("q6_K", 14, 14, 256, 210),
  BF16("bf16", 30, 30, 1, 2),

  // The two constants below are named QuantType.X because an enum constant may not refer to a
  // static field declared after it by its simple name.
  /** Affine 8-bit: per block of 64, a float32 minimum and a float32 step, then 64 unsigned codes. */
  AFFINE8("affine8", 100, QuantType.NO_GGML_ID, 64, 8 + 64),
  /** Affine 4-bit: per block of 64, a float32 minimum and a float32 step, then 32 bytes of nibbles. */
  AFFINE4("affine4", 101, QuantType.NO_GGML_ID, 64, 8 + 32),
  /**
   * Error-bounded: the writer is given a maximum absolute error and picks a step and a bit width
   * per block of 128 values. Blocks vary in size, so the encoded region starts with an offset table
   * (see {@code docs/FORMAT.md}).
   */
  ERROR_BOUNDED("error_bounded", 102, QuantType.NO_GGML_ID, 128, QuantType.VARIABLE);

  /** {@link #ggmlTypeId()} of a type that GGUF cannot hold. */
  public static final int NO_GGML_ID_VALUE = -1;
  /** {@link #blockBytes()} of a type whose blocks vary in size. */
  public static final int VARIABLE_VALUE = -1;

  private static final int NO_GGML_ID = -1;
  private static final int VARIABLE = -1;

  private final String label;
  private final int formatId;
  private final int ggmlTypeId;
  private final int blockSize;
  private final int blockBytes;

  QuantType(String label, int formatId, int ggmlTypeId, int blockSize, int blockBytes) {
    this.label = label;
    this.formatId = formatId;
    this.ggmlTypeId = ggmlTypeId;
    this.blockSize = blockSize;
    this.blockBytes = blockBytes;
  }

  /** The name people type and files show: ggml's own spelling for ggml types ({@code q4_K}). */
  public String label() {
    return label;
  }

  /** The identifier stored in {@code .lzq} files: ggml's type id for ggml types, 100 and up for LazyQ's. */
  public int formatId() {
    return formatId;
  }

  /** ggml's {@code enum ggml_type} value, as GGUF stores it, or -1 for LazyQ's own types. */
  public int ggmlTypeId() {
    return ggmlTypeId;
  }

  /** Values per block. */
  public int blockSize() {
    return blockSize;
  }

  /** Bytes per block, or -1 where blocks vary in size. */
  public int blockBytes() {
    return blockBytes;
  }

  public boolean isFixedSize() {
    return blockBytes != VARIABLE;
  }

  public boolean isGgml() {
    return ggmlTypeId != NO_GGML_ID;
  }

  /** ggml's K-quants, whose super-blocks hold 256 values. */
  public boolean isKQuant() {
    return blockSize == 256;
  }

  /** Number of blocks that hold {@code values} values; the last one may be partly padding. */
  public long blockCount(long values) {
    return Math.floorDiv(values + blockSize - 1, blockSize);
  }

  /**
   * Bytes of {@code values} values of a fixed-size type, as ggml's {@code ggml_row_size}. Throws
   * {@link ArithmeticException} where the size overflows a long.
   */
  public long byteSize(long values) {
    if (!isFixedSize()) {
      throw new UnsupportedOperationException(label + " has blocks of varying size");
    }
    return Math.multiplyExact(blockCount(values), (long) blockBytes);
  }

  /** The codec that decodes (and, where {@link BlockCodec#canEncode()}, encodes) this type. */
  public BlockCodec codec() {
    return BlockCodecs.of(this);
  }

  public static Optional<QuantType> byLabel(String label) {
    String wanted = label.toLowerCase(Locale.ROOT);
    for (QuantType t : values()) {
      if (t.label.toLowerCase(Locale.ROOT).equals(wanted)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public static Optional<QuantType> byFormatId(int id) {
    for (QuantType t : values()) {
      if (t.formatId == id) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public static Optional<QuantType> byGgmlTypeId(int id) {
    if (id == NO_GGML_ID) {
      return Optional.empty();
    }
    for (QuantType t : values()) {
      if (t.ggmlTypeId == id) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
