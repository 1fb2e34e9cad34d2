package io.lazyq.format;

import io.lazyq.quant.QuantType;
import java.util.Objects;

/**
 * How a column's values are stored: plain (Arrow's layout, readable in place) or quantized into
 * blocks of a {@link QuantType}, and whether a lossless stage compresses the stored bytes.
 *
 * @param quant the block type, or {@code null} for plain values
 * @param errorBound the maximum absolute error the writer guaranteed, or {@code NaN} where it gave none
 * @param lossless the lossless stage applied to value buffers where it pays
 */
public record ColumnEncoding(QuantType quant, double errorBound, Lossless lossless) {

  public static final ColumnEncoding PLAIN = new ColumnEncoding(null, Double.NaN, Lossless.NONE);

  /**
   * The optional lossless stage over stored bytes. A column asks for {@code NONE}, {@code ZSTD} or
   * {@code BLOCKS}; a chunk records what was applied, which for integer and timestamp columns may be
   * {@code DELTA_ZSTD}: values replaced by their differences before zstd. {@code BLOCKS} stores the
   * values of a fixed-width column in lightweight encodings chosen per block
   * ({@link io.lazyq.lossless.BlockFormat}), read per range without a decompression pass; a column
   * that asks for it takes whichever of blocks, zstd and delta + zstd is smallest per chunk.
   * {@code LIGHTWEIGHT} is {@code BLOCKS} without an entropy coder: block schemes that decode with
   * shifts, adds and multiplies only (no zstd frame, no stream), no zstd on a chunk's values; it is
   * recorded as {@code BLOCKS}, whose every block names its scheme, so a reader needs nothing more
   * (and reads the column back as {@code BLOCKS}). {@code SMALLEST} is {@code BLOCKS} that may also
   * store a float32 column's chunk as {@code DERIVED}, which a chunk records: values that follow from
   * other columns of the chunk, stored as the rows where they do not ({@link Derivation}), which a
   * projection of the column reads its sources for; recorded as {@code BLOCKS} too. An error-bounded
   * column asking for {@code BLOCKS} may be derived as well: its writer asked for size.
   */
  public enum Lossless {
    NONE(0),
    ZSTD(1),
    DELTA_ZSTD(2),
    BLOCKS(3),
    LIGHTWEIGHT(3),
    SMALLEST(3),
    DERIVED(4);

    private final int id;

    Lossless(int id) {
      this.id = id;
    }

    public int id() {
      return id;
    }

    /** Whether a column asking for this stage stores block encodings where they apply. */
    public boolean blocks() {
      return this == BLOCKS || this == LIGHTWEIGHT || this == SMALLEST;
    }

    /** The first stage of an id: the one a reader takes, {@code BLOCKS} for 3. */
    static Lossless byId(int id) {
      for (Lossless l : values()) {
        if (l.id == id) {
          return l;
        }
      }
      return null;
    }
  }

  public ColumnEncoding {
    Objects.requireNonNull(lossless, "lossless");
    if (lossless == Lossless.DERIVED) {
      throw new IllegalArgumentException("DERIVED is a chunk's lossless stage, not one a column asks for");
    }
    if (quant == QuantType.F32) {
      quant = null;
    }
  }

  public static ColumnEncoding quantized(QuantType type) {
    return new ColumnEncoding(type, Double.NaN, Lossless.NONE);
  }

  public static ColumnEncoding errorBounded(double maxAbsError) {
    if (!(maxAbsError > 0) || Double.isInfinite(maxAbsError)) {
      throw new IllegalArgumentException("an error bound must be a positive finite number, not " + maxAbsError);
    }
    return new ColumnEncoding(QuantType.ERROR_BOUNDED, maxAbsError, Lossless.NONE);
  }

  public ColumnEncoding withLossless(Lossless stage) {
    return new ColumnEncoding(quant, errorBound, stage);
  }

  public boolean isQuantized() {
    return quant != null;
  }

  public boolean hasErrorBound() {
    return !Double.isNaN(errorBound);
  }

  @Override
  public String toString() {
    String s = quant == null ? "plain" : quant.label();
    if (hasErrorBound()) {
      s += "(" + errorBound + ")";
    }
    return lossless == Lossless.NONE ? s : s + "+" + lossless.name().toLowerCase(java.util.Locale.ROOT);
  }
}
