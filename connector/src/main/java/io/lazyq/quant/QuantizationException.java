package io.lazyq.quant;

/**
 * A value that a quantizing encoder refuses: NaN or an infinity. Quantized types cannot hold them,
 * and LazyQ never turns them silently into numbers.
 */
public final class QuantizationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final long index;

  public QuantizationException(long index, float value, QuantType type) {
    super("value " + value + " at index " + index + " cannot be encoded as " + type.label()
        + ": quantized types hold finite values only (store such a column plain, or clean it first)");
    this.index = index;
  }

  /** Index of the refused value in the encoder's input. */
  public long index() {
    return index;
  }
}
