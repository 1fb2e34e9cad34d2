package io.lazyq.lossless;

import static io.lazyq.lossless.BlockFormat.BLOCK_VALUES;

import java.util.Arrays;

/**
 * Integer blocks decoded straight to float32 or float64: a constant, runs and a dictionary convert
 * each of their few distinct integers once and fill or look up the values, and a delta's running
 * sum converts as it goes, where {@link IntBlock#read} wrote every value as a 64-bit integer for a
 * second pass to convert (2.4-3.7 GB/s of float32 on the real data's runs and dictionaries against
 * 4.5-5.9 for a decimal block's frames and deltas, which {@link Frame#readScaled} decodes
 * straight). The values are exactly those of {@link IntBlock#read} converted, hostile blocks
 * included: run lengths clamped, dictionary indexes out of range read entry 0. The decoder takes a
 * float32 frame or delta, decimal or raw bits, to {@link Frame#readScaled} or {@link Frame#readBits},
 * which sum and convert in the pass that unpacks, so of the deltas only float64's come here. Holds
 * scratch: one per thread, shared by the thread's decoders.
 */
final class BlockKernels {
  /** Float64 values as the integers' raw bits. */
  static final int BITS = 0;
  /** Float64 values as the integers divided by the factor (a decimal's 10^e). */
  static final int DIVIDE = 1;
  /** Float64 values as the integers times the factor (a quantized block's step). */
  static final int MULTIPLY = 2;

  /** The widest indexes of a dictionary of at most 1024 entries. */
  private static final int MAX_INDEX_BITS = 10;

  /** Run values or dictionary entries, then run lengths. */
  private final long[] entries = new long[2 * BLOCK_VALUES];
  /** Entries converted, indexed by code: 1024 covers every width a dictionary of 1024 entries needs. */
  private final float[] floatTable = new float[BLOCK_VALUES];
  private final double[] doubleTable = new double[BLOCK_VALUES];
  private final int[] codes = new int[BLOCK_VALUES];

  /**
   * Decodes the integer block of {@code m} values at {@code in[at]} to float32, each integer
   * {@code v} as {@code Float.intBitsToFloat((int) v)} where {@code bits}, else
   * {@code (float) (v * scale)}. Returns {@code false}, having written nothing, for a scheme it
   * leaves to {@link IntBlock#read}: a frame, codes + zstd, a dictionary with unusual indexes.
   */
  boolean floats(byte[] in, int at, int m, double scale, boolean bits, float[] dst, int off) {
    int k = entries(in, at, m);
    if (k < 0) {
      return false;
    }
    // A delta's entries are its differences; its values convert as they are summed, below.
    int convert = in[at] == BlockFormat.DELTA ? 1 : k;
    if (bits) {
      for (int j = 0; j < convert; j++) {
        floatTable[j] = Float.intBitsToFloat((int) entries[j]);
      }
    } else {
      for (int j = 0; j < convert; j++) {
        floatTable[j] = (float) (entries[j] * scale);
      }
    }
    switch (in[at]) {
      case BlockFormat.CONSTANT:
        Arrays.fill(dst, off, off + m, floatTable[0]);
        return true;
      case BlockFormat.RUNS: {
        int p = 0;
        int end = off + m;
        for (int j = 0; j < k && p < m; j++) {
          int length = runLength(j, m - p);
          float v = floatTable[j];
          int y = off + p;
          if (length <= 8 && y + 8 <= end) {
            // A short run as eight stores, what is past it written again by the runs after it or
            // the fill after the last: Arrays.fill's call per run of a few values cost 2.5-3.4 ns a
            // value of hourly dew point and pressure readings (runs of 2-3), against 0.7 for
            // their deltas.
            dst[y] = v;
            dst[y + 1] = v;
            dst[y + 2] = v;
            dst[y + 3] = v;
            dst[y + 4] = v;
            dst[y + 5] = v;
            dst[y + 6] = v;
            dst[y + 7] = v;
          } else {
            Arrays.fill(dst, y, y + length, v);
          }
          p += length;
        }
        Arrays.fill(dst, off + p, end, 0f);
        return true;
      }
      case BlockFormat.DICTIONARY: {
        int indexes = Frame.end(in, at + 3, k);
        int w = in[indexes + 16] & 0xFF;
        Arrays.fill(floatTable, k, Math.max(k, 1 << w), floatTable[0]);
        lookup(in, indexes + Frame.HEADER_BYTES, m, w, floatTable, dst, off);
        return true;
      }
      default: { // delta: the running sum, converted as it goes
        long v = entries[0];
        dst[off] = floatTable[0];
        if (bits) {
          for (int i = 1; i < m; i++) {
            v += entries[i];
            dst[off + i] = Float.intBitsToFloat((int) v);
          }
        } else {
          for (int i = 1; i < m; i++) {
            v += entries[i];
            dst[off + i] = (float) (v * scale);
          }
        }
        return true;
      }
    }
  }

  /**
   * Decodes the integer block of {@code m} values at {@code in[at]} to float64, each integer as
   * its raw bits ({@link #BITS}), divided by {@code factor} ({@link #DIVIDE}) or times it
   * ({@link #MULTIPLY}). Returns {@code false}, having written nothing, for a scheme it leaves to
   * {@link IntBlock#read}.
   */
  boolean doubles(byte[] in, int at, int m, double factor, int mode, double[] dst, int off) {
    int k = entries(in, at, m);
    if (k < 0) {
      return false;
    }
    int s = in[at];
    int convert = s == BlockFormat.DELTA ? 1 : k;
    for (int j = 0; j < convert; j++) {
      doubleTable[j] = toDouble(entries[j], factor, mode);
    }
    switch (s) {
      case BlockFormat.CONSTANT:
        Arrays.fill(dst, off, off + m, doubleTable[0]);
        return true;
      case BlockFormat.RUNS: {
        int p = 0;
        for (int j = 0; j < k && p < m; j++) {
          int length = runLength(j, m - p);
          Arrays.fill(dst, off + p, off + p + length, doubleTable[j]);
          p += length;
        }
        Arrays.fill(dst, off + p, off + m, 0.0);
        return true;
      }
      case BlockFormat.DICTIONARY: {
        int indexes = Frame.end(in, at + 3, k);
        int w = in[indexes + 16] & 0xFF;
        Arrays.fill(doubleTable, k, Math.max(k, 1 << w), doubleTable[0]);
        unpack(in, indexes + Frame.HEADER_BYTES, m, w, codes);
        double[] t = doubleTable;
        for (int i = 0; i < m; i++) {
          dst[off + i] = t[codes[i]];
        }
        return true;
      }
      default: {
        long v = entries[0];
        dst[off] = doubleTable[0];
        for (int i = 1; i < m; i++) {
          v += entries[i];
          dst[off + i] = toDouble(v, factor, mode);
        }
        return true;
      }
    }
  }

  private static double toDouble(long v, double factor, int mode) {
    return mode == BITS ? Double.longBitsToDouble(v) : mode == DIVIDE ? v / factor : v * factor;
  }

  /** Run {@code j}'s length, clamped to {@code [0, left]} as {@link IntBlock#read} clamps it. */
  private int runLength(int j, int left) {
    return (int) Math.min(Math.max(entries[BLOCK_VALUES + j], 0), left);
  }

  /**
   * Reads what the block's values are made of into {@link #entries} and returns how many entries to convert: a constant's value, the run
   * values (lengths at {@code BLOCK_VALUES}), the dictionary's entries, or a delta's first value and
   * its {@code m - 1} differences; -1 for a block left to {@link IntBlock#read}.
   */
  private int entries(byte[] in, int at, int m) {
    switch (in[at]) {
      case BlockFormat.CONSTANT:
        entries[0] = BlockFormat.i64(in, at + 1);
        return 1;
      case BlockFormat.DELTA:
        entries[0] = BlockFormat.i64(in, at + 1);
        Frame.read(in, at + 9, m - 1, entries, 1);
        return m;
      case BlockFormat.RUNS: {
        int r = BlockFormat.u16(in, at + 1);
        int next = Frame.read(in, at + 3, r, entries, 0);
        Frame.read(in, next, r, entries, BLOCK_VALUES);
        return r;
      }
      case BlockFormat.DICTIONARY: {
        int k = BlockFormat.u16(in, at + 1);
        int indexes = Frame.end(in, at + 3, k);
        // The writer's indexes: base 0, step 1, as wide as k - 1 needs; anything else takes the general path.
        int w = in[indexes + 16] & 0xFF;
        if (BlockFormat.i64(in, indexes) != 0 || BlockFormat.i64(in, indexes + 8) != 1 || w > MAX_INDEX_BITS) {
          return -1;
        }
        Frame.read(in, at + 3, k, entries, 0);
        return k;
      }
      default:
        return -1;
    }
  }

  /**
   * Looks up {@code count} codes of {@code w} bits (at most 10) at {@code in[at]} in {@code table}
   * (which covers every code of that width) into {@code out[off ..]}, eight at a time as
   * {@link #unpack} does: the float32 dictionary's kernel, without the codes' pass through memory
   * (3.4-4.0 GB/s that way, BlockDecodeBench's levels).
   */
  static void lookup(byte[] in, int at, int count, int w, float[] table, float[] out, int off) {
    int mask = (1 << w) - 1;
    int w2 = 2 * w;
    int w3 = 3 * w;
    int half = w >>> 1;
    int h0 = 4 * (w & 1);
    int h1 = h0 + w;
    int h2 = h0 + w2;
    int h3 = h0 + w3;
    int groups = count & ~7;
    int i = 0;
    for (int p = at; i < groups; i += 8, p += w) {
      long lo = BlockFormat.i64(in, p);
      long hi = BlockFormat.i64(in, p + half);
      int y = off + i;
      out[y] = table[(int) lo & mask];
      out[y + 1] = table[(int) (lo >>> w) & mask];
      out[y + 2] = table[(int) (lo >>> w2) & mask];
      out[y + 3] = table[(int) (lo >>> w3) & mask];
      out[y + 4] = table[(int) (hi >>> h0) & mask];
      out[y + 5] = table[(int) (hi >>> h1) & mask];
      out[y + 6] = table[(int) (hi >>> h2) & mask];
      out[y + 7] = table[(int) (hi >>> h3) & mask];
    }
    for (; i < count; i++) {
      int bit = i * w;
      out[off + i] = table[(int) (BlockFormat.i64(in, at + (bit >>> 3)) >>> (bit & 7)) & mask];
    }
  }

  /**
   * Unpacks {@code count} codes of {@code w} bits (at most 10) at {@code in[at]} into
   * {@code out}, eight at a time as {@link Frame#read} does; {@code in} has 8 readable bytes
   * beyond them.
   */
  static void unpack(byte[] in, int at, int count, int w, int[] out) {
    if (w == 0) {
      Arrays.fill(out, 0, count, 0);
      return;
    }
    int mask = (1 << w) - 1;
    int w2 = 2 * w;
    int w3 = 3 * w;
    int half = w >>> 1;
    int h0 = 4 * (w & 1);
    int h1 = h0 + w;
    int h2 = h0 + w2;
    int h3 = h0 + w3;
    int groups = count & ~7;
    int i = 0;
    for (int p = at; i < groups; i += 8, p += w) {
      long lo = BlockFormat.i64(in, p);
      long hi = BlockFormat.i64(in, p + half);
      out[i] = (int) lo & mask;
      out[i + 1] = (int) (lo >>> w) & mask;
      out[i + 2] = (int) (lo >>> w2) & mask;
      out[i + 3] = (int) (lo >>> w3) & mask;
      out[i + 4] = (int) (hi >>> h0) & mask;
      out[i + 5] = (int) (hi >>> h1) & mask;
      out[i + 6] = (int) (hi >>> h2) & mask;
      out[i + 7] = (int) (hi >>> h3) & mask;
    }
    for (; i < count; i++) {
      int bit = i * w;
      out[i] = (int) (BlockFormat.i64(in, at + (bit >>> 3)) >>> (bit & 7)) & mask;
    }
  }
}
