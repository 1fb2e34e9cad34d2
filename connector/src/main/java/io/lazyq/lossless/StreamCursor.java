package io.lazyq.lossless;

import static io.lazyq.lossless.BlockFormat.BLOCK_VALUES;

import java.util.Arrays;

/**
 * A float32 stream region ({@link RegionStream}) read per batch: its zstd frame is decompressed
 * once, when the region is opened (which is also the last check of its structure), into code
 * planes borrowed from {@link ScratchPool}; each read then gathers the range's codes from their
 * planes, undoes the predictor and scales them to float32 in one pass ({@link StreamKernels}), and
 * patches the range's exceptions. Where the region was decoded whole into a fresh {@code float[n]}
 * on opening, this writes 4 bytes a value less and reads only what a query reads.
 *
 * <p>Under the delta predictor a value needs the sum of every difference before it: the cursor
 * keeps the integer before its next value, so batches read in order cost nothing more, and the
 * integer before every block it has passed, so a read elsewhere sums at most from the nearest of
 * those. Not thread-safe.
 */
final class StreamCursor {
  private final int n;
  private final int b;
  private final int form;
  private final boolean delta;
  private final long base;
  private final double scale;
  /** Exception positions in ascending order (stable: of two at one position the later wins, as written), and their bits. */
  private final int[] positions;
  private final int[] patches;
  /** {@code anchors[k]}: the integer before value {@code k * 1024}, known for {@code k < known}. */
  private final long[] anchors;
  private int known = 1;
  private long next;
  private long acc;
  private byte[] planes;
  private long[] longs;

  /**
   * A cursor over the checked stream {@code block} of {@code n} values, whose frame decoded into
   * {@code planes} (which the cursor holds until {@link #release}).
   */
  StreamCursor(byte[] block, int n, byte[] planes) {
    this.n = n;
    this.b = block[20];
    this.form = block[1];
    this.delta = RegionStream.delta(block);
    this.base = BlockFormat.i64(block, 12);
    this.scale = form == RegionStream.DECIMAL ? BlockFormat.INV_POW10[block[2]] : BlockFormat.f64(block, 3);
    this.planes = planes;
    int x = BlockFormat.i32(block, 21);
    int at = RegionStream.HEADER + BlockFormat.i32(block, 25);
    positions = new int[x];
    patches = new int[x];
    boolean ascending = true;
    for (int j = 0; j < x; j++) {
      positions[j] = BlockFormat.i32(block, at + 4 * j);
      patches[j] = BlockFormat.i32(block, at + 4 * x + 4 * j);
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
    int[] bits = patches.clone();
    for (int j = 0; j < keyed.length; j++) {
      positions[j] = (int) (keyed[j] >>> 32);
      patches[j] = bits[(int) keyed[j]];
    }
  }

  /** Reads values {@code [first, first + count)} into {@code dst[off ..]}. */
  void read(int first, int count, float[] dst, int off) {
    if (planes == null) {
      throw new IllegalStateException("a released stream read");
    }
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
    patch(first, count, dst, off);
  }

  /** A float32 stream of integer form: each integer is a value's bit pattern. */
  private void readBits(int first, int count, float[] dst, int off) {
    if (longs == null || longs.length < count) {
      longs = new long[Math.max(count, BLOCK_VALUES)];
    }
    if (delta) {
      seek(first);
      int end = first + count;
      for (int at = first; at < end; ) {
        int stop = Math.min(end, boundary(at));
        acc = StreamKernels.deltaLongs(planes, n, b, at, stop - at, acc, longs, at - first);
        at = stop;
      }
      next = end;
    } else {
      StreamKernels.offsetLongs(planes, n, b, first, count, base, longs, 0);
    }
    for (int i = 0; i < count; i++) {
      dst[off + i] = Float.intBitsToFloat((int) longs[i]);
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

  private void patch(int first, int count, float[] dst, int off) {
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
    int end = first + count;
    for (int j = lo; j < positions.length && positions[j] < end; j++) {
      dst[off + positions[j] - first] = Float.intBitsToFloat(patches[j]);
    }
  }

  /** Gives the planes back to {@link ScratchPool}; the cursor reads no more. */
  void release() {
    if (planes != null) {
      ScratchPool.giveBack(planes);
      planes = null;
    }
  }
}
