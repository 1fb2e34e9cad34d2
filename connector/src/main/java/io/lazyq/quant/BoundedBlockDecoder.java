package io.lazyq.quant;

import static io.lazyq.quant.ErrorBoundedCodec.CONSTANT;
import static io.lazyq.quant.ErrorBoundedCodec.VERBATIM;

import java.util.Arrays;

/**
 * Reads one {@link ErrorBoundedCodec} block: the kernel behind both the codec's decoder and the
 * encoder's check of each block it writes. A quantized block's codes are the kernels' work
 * ({@link Kernels#decodeBounded}), unpacked a group of eight at a time.
 */
final class BoundedBlockDecoder {
  /**
   * Bytes a block may read past its last code byte: the group loads are 8 bytes wide and may start
   * up to 7 bytes before the end. Callers give each block this much readable slack, or copy it
   * into a buffer that has it.
   */
  static final int SLACK = 8;

  private BoundedBlockDecoder() {}

  /**
   * Bytes that {@link #decode} may read from the first byte of a block of width {@code w}: its
   * largest size (128 values), plus the slack for quantized blocks.
   */
  static int readSpan(int w) {
    if (w == CONSTANT || w == VERBATIM) {
      return ErrorBoundedCodec.blockBytes(w, ErrorBoundedCodec.BLOCK);
    }
    return ErrorBoundedCodec.blockBytes(w, ErrorBoundedCodec.BLOCK) + SLACK;
  }

  /**
   * Decodes the first {@code m} values of the block at {@code b[at]} into {@code dst[dstOff ..]}.
   * Quantized blocks are decoded in groups of eight, so {@code dst} must have room for {@code m}
   * rounded up to a multiple of 8, and {@code b} must hold {@link #readSpan} bytes from {@code at}.
   */
  static void decode(Kernels kernels, byte[] b, int at, int m, float[] dst, int dstOff) {
    int w = b[at] & 0xFF;
    if (w == VERBATIM) {
      for (int i = 0; i < m; i++) {
        dst[dstOff + i] = LittleEndian.f32(b, at + 1 + 4 * i);
      }
    } else if (w == CONSTANT) {
      Arrays.fill(dst, dstOff, dstOff + m, LittleEndian.f32(b, at + 1));
    } else {
      kernels.decodeBounded(b, at, m, dst, dstOff);
    }
  }
}
