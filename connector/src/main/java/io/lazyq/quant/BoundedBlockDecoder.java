package io.lazyq.quant;

import static io.lazyq.quant.ErrorBoundedCodec.CONSTANT;
import static io.lazyq.quant.ErrorBoundedCodec.VERBATIM;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Reads one {@link ErrorBoundedCodec} block: the kernel behind both the codec's decoder and the
 * encoder's check of each block it writes.
 *
 * <p>Codes are unpacked eight at a time. Eight codes of {@code w} bits fill exactly {@code w}
 * bytes, so each group starts on a byte; its first four codes sit in the 64-bit little-endian word
 * at the group's start and its last four in the word {@code w / 2} bytes further on, so two loads
 * and eight constant-per-block shifts replace a bit reader's per-value refills and branches.
 */
final class BoundedBlockDecoder {
  /**
   * Bytes a block may read past its last code byte: the group loads are 8 bytes wide and may start
   * up to 7 bytes before the end. Callers give each block this much readable slack, or copy it
   * into a buffer that has it.
   */
  static final int SLACK = 8;

  /**
   * Whether {@link Math#fma} compiles to one instruction here. Where it does not (no FMA unit, or
   * a JVM other than HotSpot), it is computed with BigDecimal, far slower than a multiply and an add.
   */
  private static final boolean FAST_FMA = hotSpotUsesFma();

  private BoundedBlockDecoder() {}

  private static boolean hotSpotUsesFma() {
    try {
      return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("UseFMA").getValue());
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Value {@code q} of a block, {@code (float) (base + step * q)} in double as the format defines
   * it. {@code step * q} is exact in double (24 + 16 significant bits), so a fused multiply-add,
   * one instruction where the product and sum are two, rounds exactly as the sum does.
   */
  private static float value(double base, double step, long q) {
    return (float) (FAST_FMA ? Math.fma(step, q, base) : base + step * q);
  }

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
  static void decode(byte[] b, int at, int m, float[] dst, int dstOff) {
    int w = b[at] & 0xFF;
    if (w == VERBATIM) {
      for (int i = 0; i < m; i++) {
        dst[dstOff + i] = LittleEndian.f32(b, at + 1 + 4 * i);
      }
      return;
    }
    float base = LittleEndian.f32(b, at + 1);
    if (w == CONSTANT) {
      Arrays.fill(dst, dstOff, dstOff + m, base);
      return;
    }
    double dBase = base;
    double step = LittleEndian.f32(b, at + 5);
    long mask = (1L << w) - 1;
    int w2 = 2 * w;
    int w3 = 3 * w;
    // The second word starts at bit 4w, rounded down to a byte: w / 2 bytes in, 4 bits more for odd w.
    int half = w >>> 1;
    int h0 = 4 * (w & 1);
    int h1 = h0 + w;
    int h2 = h0 + w2;
    int h3 = h0 + w3;
    int p = at + 9;
    for (int i = 0; i < m; i += 8, p += w) {
      long lo = LittleEndian.i64(b, p);
      long hi = LittleEndian.i64(b, p + half);
      int y = dstOff + i;
      dst[y] = value(dBase, step, lo & mask);
      dst[y + 1] = value(dBase, step, (lo >>> w) & mask);
      dst[y + 2] = value(dBase, step, (lo >>> w2) & mask);
      dst[y + 3] = value(dBase, step, (lo >>> w3) & mask);
      dst[y + 4] = value(dBase, step, (hi >>> h0) & mask);
      dst[y + 5] = value(dBase, step, (hi >>> h1) & mask);
      dst[y + 6] = value(dBase, step, (hi >>> h2) & mask);
      dst[y + 7] = value(dBase, step, (hi >>> h3) & mask);
    }
  }
}
