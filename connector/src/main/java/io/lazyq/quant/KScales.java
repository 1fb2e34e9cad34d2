package io.lazyq.quant;

/** The 12-byte table of eight 6-bit scales and eight 6-bit mins that Q4_K and Q5_K share. */
final class KScales {
  private KScales() {}

  /** ggml's {@code get_scale_min_k4}: fills {@code scale[0..8)} and {@code min[0..8)}. */
  static void unpack(byte[] src, int at, int[] scale, int[] min) {
    for (int j = 0; j < 8; j++) {
      scale[j] = scale(src, at, j);
      min[j] = min(src, at, j);
    }
  }

  /**
   * Scale {@code j} of the table at {@code at}: for j < 4 the low 6 bits of byte j, else the low
   * nibble of byte j + 4 under the top 2 bits of byte j - 4. Read in place by the vector kernels,
   * which ran at half speed when they unpacked into arrays first.
   */
  static int scale(byte[] src, int at, int j) {
    return j < 4 ? src[at + j] & 63 : (src[at + j + 4] & 0xF) | (src[at + j - 4] & 0xC0) >>> 2;
  }

  /** Min {@code j}: for j < 4 the low 6 bits of byte j + 4, else the high nibble of byte j + 4 under the top 2 bits of byte j. */
  static int min(byte[] src, int at, int j) {
    return j < 4 ? src[at + j + 4] & 63 : (src[at + j + 4] & 0xFF) >>> 4 | (src[at + j] & 0xC0) >>> 2;
  }
}
