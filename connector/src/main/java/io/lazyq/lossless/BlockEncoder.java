package io.lazyq.lossless;

import static io.lazyq.lossless.BlockFormat.BLOCK_VALUES;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes a region of fixed-width values (see {@link BlockFormat}), choosing per block the scheme
 * of smallest exact size among: the integer schemes over the values' bit patterns; for floats, the
 * decimal scheme (the exponent found on a sample, as ALP does) over the decimal integers; verbatim;
 * and, where the lightweight schemes leave most of the bytes, byte-stream split with zstd.
 *
 * <p>Lossless for every bit pattern: a float is stored as a decimal only where decoding it gives
 * back its exact bits, and is otherwise an exception kept verbatim. Under an error bound
 * ({@link #BlockEncoder(ValueKind, double)}) a decimal may be within the bound rather than exact,
 * and a quantized candidate joins: the values divided by a step of almost twice the bound and
 * rounded, the integers in the same cascade. So a block of decimals coarser than the bound stays
 * exact (its decimal integers are the narrower ones), and any other block costs the bits its
 * values need at the bound's resolution. Every value is checked against the bound as it is
 * mapped; one that misses is an exception. A whole region may instead be one stream
 * ({@link RegionStream}) of the same integers, where that is smaller by {@link #STREAM_SHARE}.
 *
 * <p>A lightweight encoder ({@link #lightweight}) leaves out every candidate that goes through an
 * entropy coder (split + zstd, codes + zstd, the stream): what remains, ALP's and FastLanes'
 * kind of encodings, decodes with shifts, adds and multiplies per block at 5-6 GB/s of float32
 * per core (BlockDecodeBench), where a zstd frame decodes at zstd's pace. For floats it also
 * weighs candidates by decode speed (see {@code IntBlock.SLOW_SHARE}): a frame or a delta of a
 * float's raw bits decodes through a slower loop than any scheme of decimal integers.
 * Not thread-safe: an encoder holds the scratch of one block.
 */
public final class BlockEncoder {
  /** Sampled values per exponent trial. */
  private static final int SAMPLE = 64;
  /**
   * Try zstd only where the best lightweight scheme keeps more than this share of the plain bytes:
   * below it zstd rarely wins by enough to pay its decode cost, and it costs a native call per block.
   */
  private static final double ZSTD_TRIAL = 0.55;

  /**
   * The quantized step's share of twice the bound: the rest leaves room for rounding the product
   * to float, so that values up to about 0.005 * bound * 2^24 (84,000 at 1e-3) all fit; larger
   * ones get the step that their block's largest value leaves, or are exceptions.
   */
  private static final double STEP_SHARE = 0.99;
  /**
   * Quantized codes must be smaller than the best other candidate by 8 bytes and this fraction of
   * it, so that near ties (zstd of either may differ by a few bytes) go to the exact candidate.
   */
  private static final int PREFER_EXACT = 32;

  /** Regions shorter than this stay in blocks: a stream's headers and frame pay off over many blocks. */
  static final int STREAM_MIN_VALUES = 8 * BLOCK_VALUES;
  /** Regions longer than this stay in blocks: planning a stream holds a few copies of the region's values. */
  static final int STREAM_MAX_VALUES = 1 << 21;
  /** Values sampled across a region to choose a stream's exponent. */
  private static final int STREAM_SAMPLE = 1024;
  /**
   * A stream must be below this share of the blocks' bytes: it decodes the whole region in one
   * go, through zstd, where frames and deltas decode per block at 5-6 GB/s.
   */
  private static final double STREAM_SHARE = 0.85;

  private final ValueKind kind;

  /** The error bound; 0 for lossless. */
  private final double bound;
  /** Whether only the schemes without an entropy coder are candidates. */
  private final boolean lightweight;
  private final long[] bits = new long[BLOCK_VALUES];
  private final long[] ints = new long[BLOCK_VALUES];
  private final int[] exceptions = new int[BLOCK_VALUES];
  private final long[] codes = new long[BLOCK_VALUES];
  private final int[] codeExceptions = new int[BLOCK_VALUES];
  private final IntBlock bitsPlan;
  private final IntBlock decimalPlan;
  private final IntBlock quantizedPlan;
  /** Values that {@link #decimals} mapped within the bound rather than exactly. */
  private int approximated;
  private final byte[] split = new byte[BLOCK_VALUES * 8];
  private byte[] block = new byte[64 + 2 * BLOCK_VALUES * 8];
  private final long[] schemeCounts = new long[BlockFormat.NAMES.length];

  /** A lossless encoder. */
  public BlockEncoder(ValueKind kind) {
    this(kind, 0);
  }

  /**
   * An encoder whose every decoded value is within {@code bound} of its input (compared in
   * double); 0 is lossless. Non-finite values are kept exactly.
   */
  public BlockEncoder(ValueKind kind, double bound) {
    this(kind, bound, false);
  }

  /**
   * An encoder as {@link #BlockEncoder(ValueKind, double)} whose blocks never hold a zstd frame or
   * a stream: verbatim, constant, frame, delta, runs, dictionary, decimal and (under a bound)
   * quantized only.
   */
  public static BlockEncoder lightweight(ValueKind kind, double bound) {
    return new BlockEncoder(kind, bound, true);
  }

  private BlockEncoder(ValueKind kind, double bound, boolean lightweight) {
    if (!(bound >= 0) || Double.isInfinite(bound) || bound > 0 && !kind.isFloating()) {
      throw new IllegalArgumentException("an error bound must be finite, >= 0 and on floats, not " + bound + " on " + kind);
    }
    this.kind = kind;
    this.bound = bound;
    this.lightweight = lightweight;
    this.bitsPlan = new IntBlock(lightweight, kind.isFloating());
    this.decimalPlan = new IntBlock(lightweight, kind.isFloating());
    this.quantizedPlan = new IntBlock(lightweight, kind.isFloating());
  }

  /** Blocks written so far per scheme id ({@link BlockFormat#schemeName}). */
  public long[] schemeCounts() {
    return schemeCounts.clone();
  }

  /**
   * Encodes {@code n} values read from {@code plain}'s position on, little-endian in the kind's
   * width, and returns the region, a little-endian heap buffer.
   */
  public ByteBuffer encode(ByteBuffer plain, int n) {
    ByteBuffer in = plain.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int base = in.position();
    int blocks = BlockFormat.blockCount(n);
    int header = 4 + 4 * (blocks + 1);
    byte[] out = new byte[Math.max(header + 64, n * kind.width() / 2)];
    BlockFormat.putI32(out, 0, blocks);
    int at = header;
    for (int b = 0; b < blocks; b++) {
      BlockFormat.putI32(out, 4 + 4 * b, at);
      int m = BlockFormat.blockValues(n, b);
      load(in, base + b * BLOCK_VALUES * kind.width(), m);
      int length = encodeBlock(m);
      if (out.length < at + length) {
        out = Arrays.copyOf(out, Math.max(at + length, out.length + out.length / 2));
      }
      System.arraycopy(block, 0, out, at, length);
      at += length;
    }
    BlockFormat.putI32(out, 4 + 4 * blocks, at);
    if (!lightweight && n >= STREAM_MIN_VALUES && n <= STREAM_MAX_VALUES) {
      long[] all = new long[n];
      for (int i = 0; i < n; i++) {
        all[i] = kind.width() == 4 ? in.getInt(base + 4 * i) : in.getLong(base + 8 * i);
      }
      RegionStream.Plan stream = planStream(all, n);
      if (stream != null && header + stream.compress(n, kind) + blocks - 1 < at * STREAM_SHARE) {
        return writeStream(stream, all, n, blocks, header);
      }
    }
    return ByteBuffer.wrap(out, 0, at).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Encodes {@code n} values as a stream (scheme 10) whatever its size, for tests of the scheme;
   * {@code null} where no stream applies (a float region with no decimals and no bound).
   */
  ByteBuffer encodeStream(ByteBuffer plain, int n) {
    ByteBuffer in = plain.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long[] all = new long[n];
    for (int i = 0; i < n; i++) {
      all[i] = kind.width() == 4 ? in.getInt(in.position() + 4 * i) : in.getLong(in.position() + 8 * i);
    }
    RegionStream.Plan stream = n == 0 ? null : planStream(all, n);
    if (stream == null) {
      return null;
    }
    stream.compress(n, kind);
    return writeStream(stream, all, n, BlockFormat.blockCount(n), 4 + 4 * (BlockFormat.blockCount(n) + 1));
  }

  private ByteBuffer writeStream(RegionStream.Plan stream, long[] all, int n, int blocks, int header) {
    byte[] region = new byte[header + RegionStream.HEADER + stream.frame.length
        + stream.exceptionCount * (4 + kind.width()) + blocks - 1 + 8];
    BlockFormat.putI32(region, 0, blocks);
    BlockFormat.putI32(region, 4, header);
    int at = stream.write(region, header, kind, i -> all[i]);
    for (int b = 1; b < blocks; b++) {
      BlockFormat.putI32(region, 4 + 4 * b, at);
      region[at++] = BlockFormat.STREAM;
    }
    BlockFormat.putI32(region, 4 + 4 * blocks, at);
    schemeCounts[BlockFormat.STREAM] += blocks;
    return ByteBuffer.wrap(region, 0, at).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The stream of a whole region: integer values as they are; floats as decimal integers at the
   * exponent that a sample of the region favours, or, under a bound, as codes of the bound's step
   * where those compress smaller (by {@link #PREFER_EXACT}) than decimals that are not all exact
   * and coarser than the bound. {@code null} where most values would be exceptions.
   */
  private RegionStream.Plan planStream(long[] all, int n) {
    if (!kind.isFloating()) {
      return new RegionStream.Plan(RegionStream.INTEGER, 0, 0, all, new int[0], 0, false);
    }
    long[] sample = new long[Math.min(n, STREAM_SAMPLE)];
    for (int s = 0; s < sample.length; s++) {
      sample[s] = all[(int) ((long) s * n / sample.length)];
    }
    RegionStream.Plan best = null;
    boolean exactCoarse = false;
    // Two exponents: the blocks' (fewest bits for the range) and the fewest exceptions; the smaller stream wins.
    int narrow = exponent(sample, sample.length, sample.length);
    int fewest = fewestMisses(sample);
    for (int e : narrow == fewest ? new int[] {fewest} : new int[] {narrow, fewest}) {
      if (e < 0) {
        continue;
      }
      long[] ints = new long[n];
      int[] x = new int[n];
      int count = decimals(all, n, e, ints, x);
      boolean coarse = bound > 0 && approximated == 0 && BlockFormat.INV_POW10[e] >= 2 * bound;
      if (count <= n / 4) {
        RegionStream.Plan plan = new RegionStream.Plan(RegionStream.DECIMAL, e, 0, ints, x, count, bound > 0);
        if (best == null || plan.compress(n, kind) < best.compress(n, kind)) {
          best = plan;
          exactCoarse = coarse;
        }
      }
    }
    if (exactCoarse) {
      return best;
    }
    if (bound > 0) {
      double[] steps = steps(all, n);
      // The step that holds every value, unless values too large for the bound leave it none.
      double step = steps[steps.length - 1] > 0 ? steps[steps.length - 1] : steps[0];
      long[] q = new long[n];
      int[] x = new int[n];
      int count = quantize(all, n, step, q, x);
      if (count <= n / 4) {
        RegionStream.Plan quantized = new RegionStream.Plan(RegionStream.QUANTIZED, 0, step, q, x, count, true);
        if (best == null) {
          return quantized;
        }
        int exact = best.compress(n, kind);
        if (quantized.compress(n, kind) < exact - exact / PREFER_EXACT - 8) {
          return quantized;
        }
      }
    }
    return best;
  }

  private void load(ByteBuffer in, int from, int m) {
    for (int i = 0; i < m; i++) {
      bits[i] = kind.width() == 4 ? in.getInt(from + 4 * i) : in.getLong(from + 8 * i);
    }
  }

  /** Encodes {@code bits[0, m)} into {@code block}; returns its length. */
  private int encodeBlock(int m) {
    int plain = 1 + m * kind.width();
    int best = bitsPlan.plan(bits, m);
    // Candidates compare by rank: their bytes, weighed by decode speed in a lightweight encoder.
    double rank = bitsPlan.rank(false);
    int scheme = bitsPlan.scheme();
    int exponent = -1;
    int exceptionCount = 0;
    // Decimals coarser than the bound's resolution, all exact beside few exceptions: the block
    // stays lossless, in whichever exact scheme is smallest (on few distinct readings a dictionary
    // of their bits can beat the decimals, and must not open the door to the step).
    boolean coarseDecimals = false;
    if (kind.isFloating() && best > 9) {
      exponent = exponent(bits, m, SAMPLE);
      if (exponent >= 0) {
        exceptionCount = decimals(bits, m, exponent, ints, exceptions);
        coarseDecimals = approximated == 0 && BlockFormat.INV_POW10[exponent] >= 2 * bound;
        if (exceptionCount < m) {
          int integers = decimalPlan.plan(ints, m);
          int size = BlockFormat.DECIMAL_HEADER + integers + exceptionCount * (2 + kind.width());
          double r = size - integers + decimalPlan.rank(true);
          if (r < rank) {
            best = size;
            rank = r;
            scheme = BlockFormat.DECIMAL;
          }
        }
      }
    }
    boolean exactCoarse = coarseDecimals && (scheme == BlockFormat.DECIMAL || exceptionCount <= m / 4);
    double step = 0;
    int codeExceptionCount = 0;
    if (bound > 0 && best > 9 && !exactCoarse) {
      double[] steps = steps(bits, m);
      double last = 0;
      for (double s : steps) {
        if (!(s > 0)) {
          continue;
        }
        last = s;
        int x = quantize(bits, m, s, codes, codeExceptions);
        if (x < m) {
          int integers = quantizedPlan.plan(codes, m);
          int size = BlockFormat.QUANTIZED_HEADER + integers + x * (2 + kind.width());
          double r = size - integers + quantizedPlan.rank(true);
          if (r < rank - Math.floor(rank / PREFER_EXACT) - 8) {
            best = size;
            rank = r;
            scheme = BlockFormat.QUANTIZED;
            step = s;
            codeExceptionCount = x;
          }
        }
      }
      if (scheme == BlockFormat.QUANTIZED && step != last) {
        quantize(bits, m, step, codes, codeExceptions);
        quantizedPlan.plan(codes, m);
      }
    }
    if (plain <= rank) {
      best = plain;
      scheme = BlockFormat.VERBATIM;
    }
    if (!lightweight && best > ZSTD_TRIAL * plain) {
      int size = splitZstd(m);
      if (size < best) {
        schemeCounts[BlockFormat.SPLIT_ZSTD]++;
        return size;
      }
    }
    schemeCounts[scheme]++;
    switch (scheme) {
      case BlockFormat.VERBATIM:
        block[0] = BlockFormat.VERBATIM;
        for (int i = 0; i < m; i++) {
          if (kind.width() == 4) {
            BlockFormat.putI32(block, 1 + 4 * i, (int) bits[i]);
          } else {
            BlockFormat.putI64(block, 1 + 8 * i, bits[i]);
          }
        }
        return plain;
      case BlockFormat.DECIMAL:
        block[0] = BlockFormat.DECIMAL;
        block[1] = (byte) exponent;
        BlockFormat.putU16(block, 2, exceptionCount);
        return writeExceptions(exceptions, exceptionCount, decimalPlan.write(ints, m, block, BlockFormat.DECIMAL_HEADER));
      case BlockFormat.QUANTIZED:
        block[0] = BlockFormat.QUANTIZED;
        BlockFormat.putI64(block, 1, Double.doubleToRawLongBits(step));
        BlockFormat.putU16(block, 9, codeExceptionCount);
        return writeExceptions(codeExceptions, codeExceptionCount,
            quantizedPlan.write(codes, m, block, BlockFormat.QUANTIZED_HEADER));
      default:
        return bitsPlan.write(bits, m, block, 0);
    }
  }

  /** Whether a decimal off its value by {@code error} is within the bound; counts those that are. */
  private boolean approximate(double error) {
    if (bound > 0 && error <= bound) {
      approximated++;
      return true;
    }
    return false;
  }

  /** Writes the positions, then the bits, of {@code x} exceptions at {@code block[at]}; returns the offset after them. */
  private int writeExceptions(int[] positions, int x, int at) {
    for (int j = 0; j < x; j++) {
      BlockFormat.putU16(block, at + 2 * j, positions[j]);
    }
    at += 2 * x;
    for (int j = 0; j < x; j++, at += kind.width()) {
      if (kind.width() == 4) {
        BlockFormat.putI32(block, at, (int) bits[positions[j]]);
      } else {
        BlockFormat.putI64(block, at, bits[positions[j]]);
      }
    }
    return at;
  }

  /** The float value of bit pattern {@code b}, widened to double. */
  private double value(long b) {
    return kind == ValueKind.FLOAT32 ? Float.intBitsToFloat((int) b) : Double.longBitsToDouble(b);
  }

  /**
   * The quantized steps to try on {@code src[0, m)}: the one that holds every value where it is
   * the larger; otherwise also the share of twice the bound, which may hold most of them.
   */
  private double[] steps(long[] src, int m) {
    double maxAbs = maxFinite(src, m);
    double share = STEP_SHARE * 2 * bound;
    double fit = 2 * bound - (kind == ValueKind.FLOAT32 ? Math.ulp((float) maxAbs) : Math.ulp(maxAbs));
    return fit >= share ? new double[] {fit} : new double[] {share, fit};
  }

  /** The largest magnitude among the finite values of {@code src[0, m)}; 0 if none is finite. */
  private double maxFinite(long[] src, int m) {
    double max = 0;
    for (int i = 0; i < m; i++) {
      double v = Math.abs(value(src[i]));
      if (v > max && v != Double.POSITIVE_INFINITY) {
        max = v;
      }
    }
    return max;
  }

  /**
   * Fills {@code codes} with the values of {@code src[0, m)} divided by {@code step} and rounded,
   * and lists in {@code codeExceptions} those whose code does not decode within the bound; their
   * slots take the previous code, as in {@link #decimals}. Returns the exception count.
   */
  private int quantize(long[] src, int m, double step, long[] codes, int[] codeExceptions) {
    int x = 0;
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < m; i++) {
      double f = value(src[i]);
      double d = f / step;
      long q = Long.MIN_VALUE;
      if (Math.abs(d) < 0x1p52) {
        long r = Math.round(d);
        double y = kind == ValueKind.FLOAT32 ? (float) (r * step) : r * step;
        if (Math.abs(y - f) <= bound) {
          q = r;
        }
      }
      if (q == Long.MIN_VALUE) {
        codeExceptions[x++] = i;
      } else {
        if (previous == Long.MIN_VALUE) {
          Arrays.fill(codes, 0, i, q);
        }
        previous = q;
      }
      codes[i] = previous;
    }
    return x;
  }

  /**
   * The exponent that makes the sampled values cheapest as decimal integers: the fewest bits for
   * their range plus the exceptions' cost; the smaller exponent on a tie. -1 if no sampled value
   * is a decimal at any exponent.
   */
  private int exponent(long[] src, int m, int sample) {
    int samples = Math.min(m, sample);
    long bestCost = Long.MAX_VALUE;
    int best = -1;
    for (int e = 0; e <= maxExponent(); e++) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      int misses = 0;
      for (int s = 0; s < samples; s++) {
        int i = (int) ((long) s * m / samples);
        long v = decimal(src[i], e);
        if (v == Long.MIN_VALUE) {
          misses++;
        } else {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      if (misses == samples) {
        continue;
      }
      long cost = (long) (samples - misses) * Frame.bits(max - min) + (long) misses * 8 * (2 + kind.width());
      if (cost < bestCost) {
        bestCost = cost;
        best = e;
      }
    }
    return best;
  }

  /** The largest exponent tried: float32 holds about 7 significant digits. */
  private int maxExponent() {
    return kind == ValueKind.FLOAT32 ? 10 : BlockFormat.MAX_EXPONENT;
  }

  /**
   * The exponent at which the fewest sampled values are exceptions, the smaller on a tie; -1 if
   * every sampled value is one at every exponent. A stream's exceptions cost their full width
   * while its integers cost about their entropy under zstd, whatever their range: on precipitation
   * (92% zeros, 7% with one decimal, a sentinel of 999990) the bit-packing cost of
   * {@link #exponent} picks exponent 0 and makes the 7% exceptions.
   */
  private int fewestMisses(long[] sample) {
    int best = -1;
    int fewest = sample.length;
    for (int e = 0; e <= maxExponent() && fewest > 0; e++) {
      int misses = 0;
      for (long b : sample) {
        if (decimal(b, e) == Long.MIN_VALUE) {
          misses++;
        }
      }
      if (misses < fewest) {
        fewest = misses;
        best = e;
      }
    }
    return best;
  }

  /**
   * Fills {@code ints} with the decimal integers of {@code src[0, m)} at exponent {@code e} and
   * lists the exceptions, whose slots take the previous integer so as not to break runs, deltas or
   * ranges.
   */
  private int decimals(long[] src, int m, int e, long[] ints, int[] exceptions) {
    approximated = 0;
    int x = 0;
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < m; i++) {
      long v = decimal(src[i], e);
      if (v == Long.MIN_VALUE) {
        exceptions[x++] = i;
      } else if (previous == Long.MIN_VALUE) {
        Arrays.fill(ints, 0, i, v);
        previous = v;
      } else {
        previous = v;
      }
      ints[i] = previous;
    }
    return x;
  }

  /**
   * The integer n with decimal(n, e) bit-identical to the value with bits {@code b} (or, under a
   * bound, within it), or Long.MIN_VALUE.
   */
  private long decimal(long b, int e) {
    if (kind == ValueKind.FLOAT32) {
      float f = Float.intBitsToFloat((int) b);
      double d = f * BlockFormat.POW10[e];
      if (!(Math.abs(d) < 0x1p52)) {
        return Long.MIN_VALUE;
      }
      long n = Math.round(d);
      float y = BlockFormat.decimalFloat(n, e);
      if (Float.floatToRawIntBits(y) == (int) b) {
        return n;
      }
      return approximate(Math.abs((double) y - f)) ? n : Long.MIN_VALUE;
    }
    double f = Double.longBitsToDouble(b);
    double d = f * BlockFormat.POW10[e];
    if (!(Math.abs(d) < 0x1p53)) {
      return Long.MIN_VALUE;
    }
    long n = Math.round(d);
    double y = BlockFormat.decimalDouble(n, e);
    if (Double.doubleToRawLongBits(y) == b) {
      return n;
    }
    return approximate(Math.abs(y - f)) ? n : Long.MIN_VALUE;
  }

  /** Writes the split + zstd block into {@code block}; returns its length. */
  private int splitZstd(int m) {
    int w = kind.width();
    for (int i = 0; i < m; i++) {
      long v = bits[i];
      for (int j = 0; j < w; j++) {
        split[j * m + i] = (byte) (v >>> (8 * j));
      }
    }
    int bound = (int) Zstd.compressBound((long) m * w);
    if (block.length < 5 + bound + 8) {
      block = new byte[5 + bound + 8];
    }
    long length = Zstd.compressByteArray(block, 5, bound, split, 0, m * w, BlockFormat.ZSTD_LEVEL);
    if (Zstd.isError(length)) {
      throw new IllegalStateException("zstd: " + Zstd.getErrorName(length));
    }
    block[0] = BlockFormat.SPLIT_ZSTD;
    BlockFormat.putI32(block, 1, (int) length);
    return 5 + (int) length;
  }
}
