package io.lazyq.lossless;

import static io.lazyq.lossless.BlockFormat.BLOCK_VALUES;

import com.github.luben.zstd.Zstd;
import java.util.Arrays;

/**
 * The integer schemes (constant, frame, delta, runs, dictionary, codes + zstd) of one block of 64-bit values:
 * their exact sizes, their writing and their reading. An instance keeps the scratch of one plan;
 * reading is static.
 */
final class IntBlock {
  private final long[] deltas = new long[BLOCK_VALUES];
  private final long[] runValues = new long[BLOCK_VALUES];
  private final long[] runLengths = new long[BLOCK_VALUES];
  private final long[] distinct = new long[BLOCK_VALUES];
  private final long[] codes = new long[BLOCK_VALUES];
  private final byte[] split = new byte[8 * BLOCK_VALUES];
  private byte[] packed = new byte[(int) Zstd.compressBound(8 * BLOCK_VALUES)];
  /** Split code bytes per thread for decoding codes + zstd blocks. */
  private static final ThreadLocal<byte[]> UNSPLIT = ThreadLocal.withInitial(() -> new byte[8 * BLOCK_VALUES]);
  /**
   * Try zstd on the codes only where the lightweight schemes leave more than this many bytes: a
   * zstd frame costs about 10 bytes of its own and a native call, and below it the schemes above
   * are near what zstd would reach.
   */
  private static final int ZSTD_TRIAL_BYTES = 64;
  /**
   * Codes + zstd must be below this share of the best lightweight scheme: its blocks decode at
   * zstd's pace, about 1.2 GB/s of float32 against 5.7-6.2 for frames and deltas
   * (BlockDecodeBench), so a few percent of size do not pay for it. On noisy readings under a
   * bound it saves 20-30% (the codes' entropy against a frame's width).
   */
  private static final double ZSTD_SHARE = 0.85;
  /** Whether codes + zstd is left out, for a lightweight encoder. */
  private final boolean lightweight;
  /** Whether plans are weighed by decode speed ({@link #SLOW_SHARE}): a lightweight encoder's, of floats. */
  private final boolean weighs;
  private int packedLength;
  private long codesBase;
  private int codeBytes;
  private int scheme;
  private int bytes;
  private Frame frame;
  private Frame second;
  private int count;

  /**
   * A planner that, when {@code lightweight}, never chooses codes + zstd and, for the integers
   * of a float region ({@code floats}), weighs schemes by decode speed.
   */
  IntBlock(boolean lightweight, boolean floats) {
    this.lightweight = lightweight;
    this.weighs = lightweight && floats;
  }

  /** The scheme the last {@link #plan} chose. */
  int scheme() {
    return scheme;
  }

  /**
   * Finds the smallest integer scheme for {@code v[0, m)} by computing every scheme's exact size,
   * which on 1024 values costs less than a sample's bookkeeping would save. Returns the block's
   * bytes, scheme byte included.
   */
  int plan(long[] v, int m) {
    Frame f = Frame.of(v, 0, m);
    if (f.width() == 0) {
      choose(BlockFormat.CONSTANT, 9, f, null, 0);
      return bytes;
    }
    choose(BlockFormat.FRAME, 1 + f.bytes(m), f, null, 0);
    if (m > 1) {
      for (int i = 1; i < m; i++) {
        deltas[i - 1] = v[i] - v[i - 1];
      }
      Frame d = Frame.of(deltas, 0, m - 1);
      consider(BlockFormat.DELTA, 9 + d.bytes(m - 1), d, null, 0);
    }
    int r = runs(v, m);
    if (r <= m / 2) {
      Frame values = Frame.of(runValues, 0, r);
      Frame lengths = Frame.of(runLengths, 0, r);
      consider(BlockFormat.RUNS, 3 + values.bytes(r) + lengths.bytes(r), values, lengths, r);
    }
    System.arraycopy(v, 0, distinct, 0, m);
    Arrays.sort(distinct, 0, m);
    int k = 1;
    for (int i = 1; i < m; i++) {
      if (distinct[i] != distinct[k - 1]) {
        distinct[k++] = distinct[i];
      }
    }
    if (k <= m / 2) {
      Frame dictionary = Frame.of(distinct, 0, k);
      Frame indexes = new Frame(0, 1, Frame.bits(k - 1));
      consider(BlockFormat.DICTIONARY, 3 + dictionary.bytes(k) + indexes.bytes(m), dictionary, indexes, k);
    }
    if (!lightweight && bytes > ZSTD_TRIAL_BYTES) {
      // distinct[] is sorted: its ends are the range, whose bytes give the split's planes.
      int size = codesZstd(v, m, distinct[0], distinct[k - 1]);
      if (size < bytes * ZSTD_SHARE) {
        choose(BlockFormat.CODES_ZSTD, size, null, null, 0);
      }
    }
    return bytes;
  }

  /**
   * Packs {@code v - min} byte plane by byte plane and compresses it into {@code packed}; the
   * planes put the zero high bytes of small codes together, and zstd's entropy stage codes the
   * low bytes near their entropy, which a frame's fixed width does not reach on noisy or
   * repeat-heavy values. Returns the block's size.
   */
  private int codesZstd(long[] v, int m, long min, long max) {
    int b = Math.max(1, (Frame.bits(max - min) + 7) >>> 3);
    for (int i = 0; i < m; i++) {
      long q = v[i] - min;
      for (int j = 0; j < b; j++) {
        split[j * m + i] = (byte) (q >>> (8 * j));
      }
    }
    long length = Zstd.compressByteArray(packed, 0, packed.length, split, 0, m * b, BlockFormat.ZSTD_LEVEL);
    if (Zstd.isError(length)) {
      throw new IllegalStateException("zstd: " + Zstd.getErrorName(length));
    }
    packedLength = (int) length;
    codesBase = min;
    codeBytes = b;
    return 1 + 8 + 1 + 4 + packedLength;
  }
  /**
   * A lightweight planner weighs the bytes of a frame or a delta of a float's raw bits as divided by
   * this share ({@link #rank}): they decode through a loop over 64-bit integers (raw-bit deltas
   * 4.3-4.5 GB/s of float32, BlockDecodeBench), where a frame or a delta of a decimal block's
   * integers decodes straight to floats (5.6-6.4), and runs, dictionaries and constants of either
   * convert each distinct value once ({@link BlockKernels}: 6.3-6.7 and 7.9). Runs and
   * dictionaries were weighed too while they decoded through that loop (2.4-3.7 GB/s on the real
   * data's, 0.9 taking bearing's channels from 3.1-3.7 to 4.3-4.8 for 3% more bytes). The weight
   * applies where a raw-bit plan meets a decimal or quantized one; within a plan, schemes compare
   * by their bytes. A float32 region's raw-bit frames and deltas now decode straight to floats
   * too ({@link Frame#readBits}: NAB's raw-bit deltas 0.70-0.75 ns a value, its decimal deltas
   * 0.74-0.86); a float64 region's still take the loop, so the weight stays for both until the
   * planner's trade of bytes for speed is measured again.
   */
  static final double SLOW_SHARE = 0.9;

  /**
   * The last plan's bytes as a lightweight encoder weighs them: divided by {@link #SLOW_SHARE}
   * for a frame or a delta that is not of {@code scaled} integers (those of a decimal or quantized
   * block), that is of a float's raw bits. A planner that does not weigh: the bytes.
   */
  double rank(boolean scaled) {
    boolean slow = !scaled && (scheme == BlockFormat.FRAME || scheme == BlockFormat.DELTA);
    return weighs && slow ? bytes / SLOW_SHARE : bytes;
  }

  private void consider(int s, int size, Frame a, Frame b, int n) {
    if (size < bytes) {
      choose(s, size, a, b, n);
    }
  }

  private void choose(int s, int size, Frame a, Frame b, int n) {
    scheme = s;
    bytes = size;
    frame = a;
    second = b;
    count = n;
  }

  private int runs(long[] v, int m) {
    int r = 0;
    int start = 0;
    for (int i = 1; i <= m; i++) {
      if (i == m || v[i] != v[start]) {
        runValues[r] = v[start];
        runLengths[r++] = i - start;
        start = i;
      }
    }
    return r;
  }

  /** Writes the planned block of {@code v[0, m)} at {@code out[off]} (8 spare bytes beyond); returns the offset after it. */
  int write(long[] v, int m, byte[] out, int off) {
    out[off++] = (byte) scheme;
    switch (scheme) {
      case BlockFormat.CONSTANT:
        BlockFormat.putI64(out, off, v[0]);
        return off + 8;
      case BlockFormat.FRAME:
        return frame.write(v, 0, m, out, off);
      case BlockFormat.DELTA:
        BlockFormat.putI64(out, off, v[0]);
        for (int i = 1; i < m; i++) {
          deltas[i - 1] = v[i] - v[i - 1];
        }
        return frame.write(deltas, 0, m - 1, out, off + 8);
      case BlockFormat.RUNS:
        BlockFormat.putU16(out, off, count);
        off = frame.write(runValues, 0, count, out, off + 2);
        return second.write(runLengths, 0, count, out, off);
      case BlockFormat.DICTIONARY:
        for (int i = 0; i < m; i++) {
          codes[i] = Arrays.binarySearch(distinct, 0, count, v[i]);
        }
        BlockFormat.putU16(out, off, count);
        off = frame.write(distinct, 0, count, out, off + 2);
        return second.write(codes, 0, m, out, off);
      case BlockFormat.CODES_ZSTD:
        BlockFormat.putI64(out, off, codesBase);
        out[off + 8] = (byte) codeBytes;
        BlockFormat.putI32(out, off + 9, packedLength);
        System.arraycopy(packed, 0, out, off + 13, packedLength);
        return off + 13 + packedLength;
      default:
        throw new IllegalStateException("no plan");
    }
  }

  /**
   * The offset after the integer block of {@code m} values at {@code in[off]}, or -1 if it is not
   * one or does not end by {@code limit}. {@code in} is readable 32 bytes beyond {@code limit}.
   */
  static int end(byte[] in, int off, int m, int limit) {
    int s = in[off++];
    int end;
    switch (s) {
      case BlockFormat.CONSTANT:
        end = off + 8;
        break;
      case BlockFormat.FRAME:
        end = Frame.end(in, off, m);
        break;
      case BlockFormat.DELTA:
        end = m < 1 ? -1 : Frame.end(in, off + 8, m - 1);
        break;
      case BlockFormat.RUNS:
      case BlockFormat.DICTIONARY: {
        int n = BlockFormat.u16(in, off);
        if (n < 1 || n > m || off + 2 + Frame.HEADER_BYTES > limit) {
          return -1;
        }
        int next = Frame.end(in, off + 2, n);
        if (next < 0 || next + Frame.HEADER_BYTES > limit) {
          return -1;
        }
        end = Frame.end(in, next, s == BlockFormat.RUNS ? n : m);
        break;
      }
      case BlockFormat.CODES_ZSTD: {
        if (off + 13 > limit) {
          return -1;
        }
        int b = in[off + 8];
        long length = Integer.toUnsignedLong(BlockFormat.i32(in, off + 9));
        if (b < 1 || b > 8 || length > limit) {
          return -1;
        }
        end = (int) (off + 13 + length);
        break;
      }
      default:
        return -1;
    }
    return end <= limit ? end : -1;
  }

  /** This thread's scratch for the byte planes of a zstd block, 8 × 1024 bytes. */
  static byte[] unsplitScratch() {
    return UNSPLIT.get();
  }

  /**
   * Decodes the integer block of {@code m} values at {@code in[off]} into {@code out[0, m)}, with
   * {@code tmp} (2 × 1024 values) as scratch. A hostile block decodes to some values, never out of
   * bounds: run lengths are clamped, dictionary indexes out of range read entry 0. Returns
   * {@code null}, or what is wrong with a codes + zstd block's frame, which is decompressed here.
   */
  static String read(byte[] in, int off, int m, long[] out, long[] tmp) {
    int s = in[off++];
    switch (s) {
      case BlockFormat.CONSTANT:
        Arrays.fill(out, 0, m, BlockFormat.i64(in, off));
        return null;
      case BlockFormat.FRAME:
        Frame.read(in, off, m, out, 0);
        return null;
      case BlockFormat.DELTA: {
        Frame.read(in, off + 8, m - 1, out, 1);
        long v = BlockFormat.i64(in, off);
        out[0] = v;
        for (int i = 1; i < m; i++) {
          v += out[i];
          out[i] = v;
        }
        return null;
      }
      case BlockFormat.RUNS: {
        int r = BlockFormat.u16(in, off);
        int next = Frame.read(in, off + 2, r, tmp, 0);
        Frame.read(in, next, r, tmp, BLOCK_VALUES);
        int at = 0;
        for (int j = 0; j < r && at < m; j++) {
          int length = (int) Math.min(Math.max(tmp[BLOCK_VALUES + j], 0), m - at);
          Arrays.fill(out, at, at + length, tmp[j]);
          at += length;
        }
        Arrays.fill(out, at, m, 0);
        return null;
      }
      case BlockFormat.DICTIONARY: {
        int k = BlockFormat.u16(in, off);
        int next = Frame.read(in, off + 2, k, tmp, 0);
        Frame.read(in, next, m, out, 0);
        for (int i = 0; i < m; i++) {
          long c = out[i];
          out[i] = tmp[c >= 0 && c < k ? (int) c : 0];
        }
        return null;
      }
      case BlockFormat.CODES_ZSTD: {
        long base = BlockFormat.i64(in, off);
        int b = in[off + 8];
        byte[] split = UNSPLIT.get();
        long got = BlockFormat.unzstd(split, m * b, in, off + 13, BlockFormat.i32(in, off + 9));
        if (got != (long) m * b) {
          // The frame is decompressed only when read, so this is where its damage shows.
          return "zstd codes decode to " + (got < 0 ? "an error" : got + " bytes") + ", not " + m * b;
        }
        for (int i = 0; i < m; i++) {
          out[i] = split[i] & 0xFFL;
        }
        for (int j = 1; j < b; j++) {
          int shift = 8 * j;
          int plane = j * m;
          for (int i = 0; i < m; i++) {
            out[i] |= (split[plane + i] & 0xFFL) << shift;
          }
        }
        for (int i = 0; i < m; i++) {
          out[i] += base;
        }
        return null;
      }
      default:
        throw new IllegalStateException("integer scheme " + s);
    }
  }
}
