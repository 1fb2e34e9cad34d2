package io.lazyq.format;

import io.lazyq.quant.BlockCodec;
import io.lazyq.quant.ErrorBoundedCodec;
import io.lazyq.quant.QuantType;

/** The encoder a column's {@link ColumnEncoding} asks for: only the error-bounded one takes a parameter. */
final class Encoders {
  private Encoders() {}

  static BlockCodec forEncoding(ColumnEncoding encoding) {
    if (encoding.quant() == QuantType.ERROR_BOUNDED) {
      return ErrorBoundedCodec.withBound(encoding.errorBound());
    }
    return encoding.quant().codec();
  }
}
