package io.lazyq.quant;

/** The 12-byte table of eight 6-bit scales and eight 6-bit mins that Q4_K and Q5_K share. */
final class KScales {
  private KScales() {}

  /** ggml's {@code get_scale_min_k4}: fills {@code scale[0..8)} and {@code min[0..8)}. */
  static void unpack(byte[] src, int at, int[] scale, int[] min) {
    for (int j = 0; j < 4; j++) {
      scale[j] = src[at + j] & 63;
      min[j] = src[at + j + 4] & 63;
    }
    for (int j = 4; j < 8; j++) {
      int packed = src[at + j + 4] & 0xFF;
      scale[j] = (packed & 0xF) | ((src[at + j - 4] & 0xFF) >>> 6) << 4;
      min[j] = (packed >>> 4) | ((src[at + j] & 0xFF) >>> 6) << 4;
    }
  }
}
