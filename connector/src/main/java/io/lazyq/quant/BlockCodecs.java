package io.lazyq.quant;

import java.util.EnumMap;
import java.util.Map;

/** One codec per {@link QuantType}, made once; codecs are stateless and shared by all threads. */
public final class BlockCodecs {
  private static final Map<QuantType, BlockCodec> CODECS = new EnumMap<>(QuantType.class);

  static {
    for (BlockCodec c : new BlockCodec[] {
        new F32Codec(), new F16Codec(), new Bf16Codec(),
        new Q8_0Codec(), new Q4_0Codec(), new Q4_1Codec(), new Q5_0Codec(), new Q5_1Codec(),
        new Q2_KCodec(), new Q3_KCodec(), new Q4_KCodec(), new Q5_KCodec(), new Q6_KCodec(),
        new AffineCodec(QuantType.AFFINE8), new AffineCodec(QuantType.AFFINE4),
        ErrorBoundedCodec.DECODER}) {
      CODECS.put(c.type(), c);
    }
  }

  private BlockCodecs() {}

  /** The codec of {@code type}; for {@link QuantType#ERROR_BOUNDED} a decoder, see {@link ErrorBoundedCodec#withBound}. */
  public static BlockCodec of(QuantType type) {
    return CODECS.get(type);
  }
}
