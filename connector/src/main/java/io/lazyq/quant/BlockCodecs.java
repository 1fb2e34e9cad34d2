package io.lazyq.quant;

import java.util.EnumMap;
import java.util.Map;

/** One codec per {@link QuantType}, made once; codecs are stateless and shared by all threads. */
public final class BlockCodecs {
  private static final Map<QuantType, BlockCodec> CODECS = on(Kernels.SELECTED);

  private BlockCodecs() {}

  /** The codec of {@code type}; for {@link QuantType#ERROR_BOUNDED} a decoder, see {@link ErrorBoundedCodec#withBound}. */
  public static BlockCodec of(QuantType type) {
    return CODECS.get(type);
  }

  /** A codec of every type whose loops run on {@code kernels}. */
  static Map<QuantType, BlockCodec> on(Kernels kernels) {
    Map<QuantType, BlockCodec> codecs = new EnumMap<>(QuantType.class);
    for (BlockCodec c : new BlockCodec[] {
        new F32Codec(), new F16Codec(kernels), new Bf16Codec(kernels),
        new Q8_0Codec(kernels), new Q4_0Codec(kernels), new Q4_1Codec(kernels), new Q5_0Codec(kernels),
        new Q5_1Codec(kernels), new Q2_KCodec(kernels), new Q3_KCodec(kernels), new Q4_KCodec(kernels),
        new Q5_KCodec(kernels), new Q6_KCodec(kernels),
        new AffineCodec(QuantType.AFFINE8, kernels), new AffineCodec(QuantType.AFFINE4, kernels),
        ErrorBoundedCodec.decoder(kernels)}) {
      codecs.put(c.type(), c);
    }
    return codecs;
  }
}
