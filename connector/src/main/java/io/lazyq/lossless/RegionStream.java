package io.lazyq.lossless;

import com.github.luben.zstd.Zstd;

/**
 * Block scheme 10, a stream: the integers of a whole region (decimal integers, quantized codes or
 * integer values), after a predictor, in byte planes under one zstd frame, held by block 0; every
 * other block is the single byte 10. A region of a million values pays one frame's headers and
 * gives zstd's entropy stage a million values to learn from, where a block pays its frames'
 * headers per 1024 values: on the hourly PM2.5/weather readings (decimals of 0-1 digits, 92%-zero
 * precipitation) that took 0.46-0.58 bytes a value of the 0-1-digit columns to 0.33-0.47, and
 * precipitation from 0.28 to 0.09 (RealDataBench).
 *
 * <pre>
 * u8  10
 * u8  form        0 decimal: value (float) (N * 10^-e), float64 N / 10^e
 *                 1 quantized: value (float) (N * s), float64 N * s
 *                 2 integer: the value's own bit pattern (an int32 sign-extended)
 * u8  e           the decimal exponent (0 for other forms)
 * f64 s           the quantized step (0 for other forms)
 * u8  predictor   low 4 bits: 0 offset: N_i = base + c_i; 1 delta: N_i = N_(i-1) + zigzag^-1(c_i), N_(-1) = base
 *                 high 4 bits, the entropy stage (since 1.4): 0 zstd, 1 rANS
 * i64 base
 * u8  b           bytes per code c_i, 1 to 8
 * u32 x           exceptions
 * u32 L           length of the codes' section
 * L bytes         zstd: a zstd frame of n * b bytes: byte 0 of every c_i, then byte 1, up to byte b - 1;
 *                 rANS: the codes under {@link ContextRans}
 * u32 positions[x], below n
 * x values of the region's width: at each position, the value's bit pattern instead
 * </pre>
 *
 * The writer codes both predictors under zstd (in an error-bounded column, under rANS too) and
 * keeps the smallest. An exception's slot carries the previous integer, so it costs the predictor
 * nothing. {@link BlockDecoder#open}
 * decodes the codes' section into planes while it checks the structure; the stream is then read
 * per range ({@link StreamCursor}).
 */
final class RegionStream {
  static final int HEADER = 29;
  static final int DECIMAL = 0;
  static final int QUANTIZED = 1;
  static final int INTEGER = 2;
  static final String[] FORMS = {"decimal", "quantized", "integer"};
  static final String[] PREDICTORS = {"offset", "delta"};
  /** Entropy stages, the high 4 bits of the predictor byte (since 1.4): zstd over byte planes, or {@link ContextRans}. */
  static final int ZSTD = 0;
  static final int RANS = 1;
  /**
   * rANS is kept only where it is at most this share of the zstd frame: it decodes 175-220 M codes
   * per CPU second against zstd's 0.9-2.0 G over byte planes (ContextRansBench), so a stream of it
   * opens 3-5x slower (8-12 ns a value against 2.2-2.7 on the PM2.5/weather columns); the columns
   * it pays on there save 10-19% (humidity, wind speed, dew point, cumulated precipitation), the
   * others 2-6%. And it is tried only in error-bounded columns, whose writer asked for size: in a
   * lossless column it made the PM2.5/weather file 11% smaller but its Spark scan of every float
   * column twice as costly as plain float32's (42 against 21 CPU ns a row, RealDataBench).
   */
  static final double RANS_SHARE = 0.92;
  /**
   * The zstd level of a stream. Level 9 gives streams 5-12% smaller than level 3 on the real data
   * and decodes at the same pace; writing a million values takes about 40 ms more.
   */
  static final int LEVEL = 9;

  private RegionStream() {}

  /** A planned stream: its integers and exceptions, ready to write. */
  static final class Plan {
    final int form;
    final int exponent;
    final double step;
    final long[] ints;
    final int[] exceptions;
    final int exceptionCount;
    /** Whether the rANS stage may be chosen (see {@link #RANS_SHARE}). */
    final boolean rans;
    int predictor;
    int stage;
    long base;
    int width;
    byte[] frame;

    Plan(int form, int exponent, double step, long[] ints, int[] exceptions, int exceptionCount, boolean rans) {
      this.form = form;
      this.exponent = exponent;
      this.step = step;
      this.ints = ints;
      this.exceptions = exceptions;
      this.exceptionCount = exceptionCount;
      this.rans = rans;
    }

    /** Compresses the integers under the smaller of both predictors (once); returns the stream's bytes. */
    int compress(int n, ValueKind kind) {
      if (frame == null) {
        choosePredictor(n);
      }
      return HEADER + frame.length + exceptionCount * (4 + kind.width());
    }

    private void choosePredictor(int n) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      long zigMax = 0;
      long previous = n > 0 ? ints[0] : 0;
      for (int i = 0; i < n; i++) {
        long v = ints[i];
        min = Math.min(min, v);
        max = Math.max(max, v);
        long d = v - previous;
        zigMax |= (d << 1) ^ (d >> 63);
        previous = v;
      }
      if (n == 0) {
        min = max = 0;
      }
      long first = n > 0 ? ints[0] : 0;
      choose(n, 0, min, Math.max(1, (Frame.bits(max - min) + 7) >>> 3));
      choose(n, 1, first, Math.max(1, (Frame.bits(zigMax) + 7) >>> 3));
    }

    /** Codes the integers under a predictor with both stages; keeps the result where it is the smallest yet. */
    private void choose(int n, int predictor, long base, int b) {
      long[] codes = codes(n, predictor, base);
      byte[] split = new byte[n * b];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < b; j++) {
          split[j * n + i] = (byte) (codes[i] >>> (8 * j));
        }
      }
      byte[] zstd = Zstd.compress(split, LEVEL);
      byte[] entropyCoded = rans ? ContextRans.encode(codes, n) : null;
      int stage = rans && entropyCoded.length < zstd.length * RANS_SHARE ? RANS : ZSTD;
      byte[] coded = stage == RANS ? entropyCoded : zstd;
      if (frame == null || coded.length < frame.length) {
        this.predictor = predictor;
        this.stage = stage;
        this.base = base;
        this.width = b;
        this.frame = coded;
      }
    }

    private long[] codes(int n, int predictor, long base) {
      long[] codes = new long[n];
      long previous = base;
      for (int i = 0; i < n; i++) {
        if (predictor == 0) {
          codes[i] = ints[i] - base;
        } else {
          long d = ints[i] - previous;
          previous = ints[i];
          codes[i] = (d << 1) ^ (d >> 63);
        }
      }
      return codes;
    }

    /** Writes block 0 (the stream) into {@code out} at {@code off}, the exceptions' bits from {@code bits}; returns the offset after it. */
    int write(byte[] out, int off, ValueKind kind, LongSource bits) {
      out[off] = BlockFormat.STREAM;
      out[off + 1] = (byte) form;
      out[off + 2] = (byte) exponent;
      BlockFormat.putI64(out, off + 3, Double.doubleToRawLongBits(step));
      out[off + 11] = (byte) (predictor | stage << 4);
      BlockFormat.putI64(out, off + 12, base);
      out[off + 20] = (byte) width;
      BlockFormat.putI32(out, off + 21, exceptionCount);
      BlockFormat.putI32(out, off + 25, frame.length);
      int at = off + HEADER;
      System.arraycopy(frame, 0, out, at, frame.length);
      at += frame.length;
      for (int j = 0; j < exceptionCount; j++, at += 4) {
        BlockFormat.putI32(out, at, exceptions[j]);
      }
      for (int j = 0; j < exceptionCount; j++, at += kind.width()) {
        long v = bits.get(exceptions[j]);
        if (kind.width() == 4) {
          BlockFormat.putI32(out, at, (int) v);
        } else {
          BlockFormat.putI64(out, at, v);
        }
      }
      return at;
    }
  }

  /** The bit pattern of value i of a region being written. */
  @FunctionalInterface
  interface LongSource {
    long get(int i);
  }

  /** A short name for tools: {@code stream/decimal+delta}. */
  static String name(byte[] block) {
    int form = block[1];
    int predictor = block[11] & 0xF;
    return "stream/" + (form >= 0 && form < FORMS.length ? FORMS[form] : "?") + "+"
        + (predictor < PREDICTORS.length ? PREDICTORS[predictor] : "?") + (stage(block) == RANS ? "+rans" : "");
  }

  private static int stage(byte[] block) {
    return (block[11] & 0xFF) >>> 4;
  }

  /** Whether a checked stream block's predictor is delta (the low 4 bits of its predictor byte). */
  static boolean delta(byte[] block) {
    return (block[11] & 0xF) == 1;
  }

  /** The structural problem of a stream block of {@code length} bytes over {@code n} values of {@code kind}, or {@code null}. */
  static String problem(byte[] block, int length, ValueKind kind, long n) {
    if (length < HEADER) {
      return "truncated stream block";
    }
    int form = block[1];
    if (form < 0 || form > INTEGER || form != INTEGER && !kind.isFloating()) {
      return "stream form " + form + " in a " + kind + " region";
    }
    if (form == DECIMAL && (block[2] < 0 || block[2] > BlockFormat.MAX_EXPONENT)) {
      return "decimal exponent " + block[2] + " out of range";
    }
    double s = BlockFormat.f64(block, 3);
    if (form == QUANTIZED && !(s > 0 && Double.isFinite(s))) {
      return "quantized step " + s + " is not a positive number";
    }
    if ((block[11] & 0xF) > 1 || stage(block) > RANS) {
      return "stream predictor " + (block[11] & 0xF) + " with entropy stage " + stage(block);
    }
    int b = block[20];
    if (b < 1 || b > 8) {
      return "stream code width " + b;
    }
    long x = Integer.toUnsignedLong(BlockFormat.i32(block, 21));
    long frame = Integer.toUnsignedLong(BlockFormat.i32(block, 25));
    if (x > n || HEADER + frame + x * (4 + kind.width()) != length) {
      return "stream fields (" + frame + " bytes of " + (stage(block) == RANS ? "rANS" : "zstd") + ", " + x + " exceptions) do not fill its " + length + " bytes";
    }
    if (n * b > BlockFormat.MAX_STREAM_BYTES) {
      return n + " values of " + b + " bytes exceed a stream's " + BlockFormat.MAX_STREAM_BYTES + " bytes";
    }
    int positions = HEADER + (int) frame;
    for (int j = 0; j < x; j++) {
      long p = Integer.toUnsignedLong(BlockFormat.i32(block, positions + 4 * j));
      if (p >= n) {
        return "exception position " + p + " of " + n + " values";
      }
    }
    return null;
  }

  /**
   * Decodes the code planes of a checked stream block into {@code into[0, n * b)}; returns
   * {@code null}, or what is wrong where its codes' section does not decode to exactly that many
   * bytes.
   */
  static String planes(byte[] block, int n, byte[] into) {
    int b = block[20];
    int length = BlockFormat.i32(block, 25);
    if (stage(block) == RANS) {
      String problem = ContextRans.decode(block, HEADER, length, n, b, into);
      return problem == null ? null : "the stream's rANS section (at +" + HEADER + "): " + problem;
    }
    long size = (long) n * b;
    return BlockFormat.unzstd(into, n * b, block, HEADER, length) == size ? null
        : "the stream's zstd frame does not decode to " + size + " bytes";
  }
}
