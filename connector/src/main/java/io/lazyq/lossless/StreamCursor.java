package io.lazyq.lossless;

import static io.lazyq.lossless.BlockFormat.BLOCK_VALUES;

import java.util.Arrays;

/**
 * A stream region ({@link RegionStream}) read per batch: its zstd frame is decompressed
 * once, when the region is opened (which is also the last check of its structure), into code
 * planes borrowed from {@link ScratchPool}; each read then gathers the range's codes from their
 * planes, undoes the predictor and scales them to float32 in one pass ({@link StreamKernels}), and
 * patches the range's exceptions. Where the region was decoded whole into a fresh {@code float[n]}
 * (or, for a float64 or integer stream, a {@code long[n]} of bit patterns) on opening, this
 * writes 4 (8) bytes a value less and reads only what a query reads.
 *
 * <p>Under the delta predictor a value needs the sum of every difference before it: the cursor
 * keeps the integer before its next value, so batches read in order cost nothing more, and the
 * integer before every block it has passed, so a read elsewhere sums at most from the nearest of
 * those. Not thread-safe.
 */
final class StreamCursor {
  private final int n;
  private final int b;
  private final ValueKind kind;
  private final int form;
  private final boolean delta;
  private final long base;
  private final double scale;
  /** A float64 decimal's divisor: its value is {@code N / 10^e}, rounded once, as the writer checked it. */
  private final double divisor;
  /** Exception positions in ascending order (stable: of two at one position the later wins, as written), and their bits (an int32 sign-extended). */
  private final int[] positions;
  private final long[] patches;
  /** {@code anchors[k]}: the integer before value {@code k * 1024}, known for {@code k < known}. */
  private final long[] anchors;
  private int known = 1;
  private long next;
  private long acc;
  private byte[] planes;
  private long[] longs;

  /**
   * A cursor over the checked stream {@code block} of {@code n} values of {@code kind}, whose frame
   * decoded into {@code planes} (which the cursor holds until {@link #release}).
   */
  StreamCursor(byte[] block, int n, ValueKind kind, byte[] planes) {
    this.n = n;
    this.b = block[20];
    this.kind = kind;
    this.form = block[1];
    this.delta = RegionStream.delta(block);
    this.base = BlockFormat.i64(block, 12);
    this.scale = form == RegionStream.DECIMAL ? BlockFormat.INV_POW10[block[2]] : BlockFormat.f64(block, 3);
    this.divisor = form == RegionStream.DECIMAL ? BlockFormat.POW10[block[2]] : 1;
    this.planes = planes;
    int x = BlockFormat.i32(block, 21);
    int at = RegionStream.HEADER + BlockFormat.i32(block, 25);
    int w = kind.width();
    positions = new int[x];
    patches = new long[x];
    boolean ascending = true;
    for (int j = 0; j < x; j++) {
      positions[j] = BlockFormat.i32(block, at + 4 * j);
      patches[j] = w == 4 ? BlockFormat.i32(block, at + 4 * x + 4 * j) : BlockFormat.i64(block, at + 4 * x + 8 * j);
      ascending &= j == 0 || positions[j] >= positions[j - 1];
    }
    if (!ascending) {
      sortPatches();
    }
    anchors = new long[delta ? BlockFormat.blockCount(n) + 1 : 1];
    anchors[0] = base;
    acc = base;
  }

  /** The encoder writes exceptions in order; any other order is sorted once, keeping the written order at a position. */
  private void sortPatches() {
    long[] keyed = new long[positions.length];
    for (int j = 0; j < keyed.length; j++) {
      keyed[j] = (long) positions[j] << 32 | j;
    }
    Arrays.sort(keyed);
    long[] bits = patches.clone();
    for (int j = 0; j < keyed.length; j++) {
      positions[j] = (int) (keyed[j] >>> 32);
      patches[j] = bits[(int) keyed[j]];
    }
  }

  /** Reads float32 values {@code [first, first + count)} into {@code dst[off ..]}. */
  void read(int first, int count, float[] dst, int off) {
    live();
    StreamKernels k = StreamKernels.selected();
    if (form == RegionStream.INTEGER) {
      readBits(first, count, dst, off);
    } else if (!delta) {
      k.offsetFloats(planes, n, b, first, count, base, scale, dst, off);
    } else {
      seek(first);
      int end = first + count;
      for (int at = first; at < end; ) {
        int stop = Math.min(end, boundary(at));
        acc = k.deltaFloats(planes, n, b, at, stop - at, acc, scale, dst, off + at - first);
        at = stop;
      }
      next = end;
    }
    for (int j = firstPatch(first), end = first + count; j < positions.length && positions[j] < end; j++) {
      dst[off + positions[j] - first] = Float.intBitsToFloat((int) patches[j]);
    }
  }

  /** Reads float64 values {@code [first, first + count)} into {@code dst[off ..]}. */
  void readDoubles(int first, int count, double[] dst, int off) {
    live();
    long[] ints = longs(count);
    integers(first, count, ints, 0);
    if (form == RegionStream.DECIMAL) {
      StreamKernels.divide(ints, count, divisor, dst, off);
    } else if (form == RegionStream.QUANTIZED) {
      StreamKernels.multiply(ints, count, scale, dst, off);
    } else {
      for (int i = 0; i < count; i++) {
        dst[off + i] = Double.longBitsToDouble(ints[i]);
      }
    }
    for (int j = firstPatch(first), end = first + count; j < positions.length && positions[j] < end; j++) {
      dst[off + positions[j] - first] = Double.longBitsToDouble(patches[j]);
    }
  }

  /**
   * Reads the bit patterns of float64 or integer values {@code [first, first + count)} (an int32
   * sign-extended) into {@code dst[off ..]}.
   */
  void readLongs(int first, int count, long[] dst, int off) {
    live();
    integers(first, count, dst, off);
    if (form == RegionStream.DECIMAL) {
      for (int i = off, end = off + count; i < end; i++) {
        dst[i] = Double.doubleToRawLongBits(dst[i] / divisor);
      }
    } else if (form == RegionStream.QUANTIZED) {
      for (int i = off, end = off + count; i < end; i++) {
        dst[i] = Double.doubleToRawLongBits(dst[i] * scale);
      }
    } else if (kind.width() == 4) {
      for (int i = off, end = off + count; i < end; i++) {
        dst[i] = (int) dst[i];
      }
    }
    for (int j = firstPatch(first), end = first + count; j < positions.length && positions[j] < end; j++) {
      dst[off + positions[j] - first] = patches[j];
    }
  }

  private void live() {
    if (planes == null) {
      throw new IllegalStateException("a released stream read");
    }
  }

  private long[] longs(int count) {
    if (longs == null || longs.length < count) {
      longs = new long[Math.max(count, BLOCK_VALUES)];
    }
    return longs;
  }

  /** A float32 stream of integer form: each integer is a value's bit pattern. */
  private void readBits(int first, int count, float[] dst, int off) {
    long[] ints = longs(count);
    integers(first, count, ints, 0);
    for (int i = 0; i < count; i++) {
      dst[off + i] = Float.intBitsToFloat((int) ints[i]);
    }
  }

  /** The integers {@code N} of values {@code [first, first + count)} into {@code dst[off ..]}, the predictor undone. */
  private void integers(int first, int count, long[] dst, int off) {
    if (delta) {
      seek(first);
      int end = first + count;
      for (int at = first; at < end; ) {
        int stop = Math.min(end, boundary(at));
        acc = StreamKernels.deltaLongs(planes, n, b, at, stop - at, acc, dst, off + at - first);
        at = stop;
      }
      next = end;
    } else {
      StreamKernels.offsetLongs(planes, n, b, first, count, base, dst, off);
    }
  }

  /**
   * The end of the block that holds value {@code at}, after noting the integer before it where
   * {@code at} starts the first block not yet passed.
   */
  private int boundary(int at) {
    int block = at / BLOCK_VALUES;
    if (block == known && at == block * BLOCK_VALUES) {
      anchors[known++] = acc;
    }
    return (block + 1) * BLOCK_VALUES;
  }

  /** Sets {@code acc} to the integer before value {@code first}. */
  private void seek(int first) {
    if (first == next) {
      return;
    }
    int from = Math.min(first / BLOCK_VALUES, known - 1) * BLOCK_VALUES;
    if (first < next || from > next) {
      acc = anchors[from / BLOCK_VALUES];
    } else {
      from = (int) next;
    }
    for (int at = from; at < first; ) {
      int stop = Math.min(first, boundary(at));
      acc = StreamKernels.deltaSum(planes, n, b, at, stop - at, acc);
      at = stop;
    }
    next = first;
  }

  /** The index of the first exception at or after value {@code first}. */
  private int firstPatch(int first) {
    int lo = 0;
    int hi = positions.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (positions[mid] < first) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Gives the planes back to {@link ScratchPool}; the cursor reads no more. */
  void release() {
    if (planes != null) {
      ScratchPool.giveBack(planes);
      planes = null;
    }
  }
}
