package io.lazyq.quant;

import io.lazyq.LazyQFormatException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * LazyQ's error-bounded type ({@link QuantType#ERROR_BOUNDED}): the writer is given a maximum
 * absolute error {@code e}, and every value decodes to a float32 within {@code e} of its float32
 * input. Each block of 128 values gets its own step and bit width, as HDF5's scale-offset filter
 * picks them per chunk.
 *
 * <p>Region layout, all little-endian:
 *
 * <pre>
 *   u32 blockCount                      ceil(n / 128)
 *   u32 offsets[blockCount + 1]         start of each block from byte 0 of the region;
 *                                       the last entry is the region's length
 *   block*                              in order, each starting at its offset
 * </pre>
 *
 * A block of {@code m} values (128, or fewer for the last) starts with one byte {@code w}:
 *
 * <ul>
 *   <li>{@code w = 0}: constant; an f32 {@code base} follows, and every value is {@code base}
 *       (5 bytes).
 *   <li>{@code 1 <= w <= 16}: an f32 {@code base}, an f32 {@code step}, then {@code ceil(m * w / 8)}
 *       bytes of codes, code i in bits {@code [i * w, (i + 1) * w)} counted from the least
 *       significant bit of the first byte. Value i is {@code (float) ((double) base + (double) step * q_i)}.
 *   <li>{@code w = 32}: verbatim; {@code m} f32 values follow, for blocks where float32 rounding
 *       makes the bound unattainable with a step (a large offset with a tiny {@code e}) or where
 *       codes would need more than 16 bits.
 * </ul>
 *
 * <p>The encoder decodes every block it writes and checks each value against {@code e}; a block
 * that fails is written verbatim. Decoding needs no bound: {@code QuantType.ERROR_BOUNDED.codec()}
 * decodes any region but does not encode; {@link #withBound} gives an encoder.
 */
public final class ErrorBoundedCodec implements BlockCodec {
  /** Values per block. */
  static final int BLOCK = 128;
  static final int CONSTANT = 0;
  static final int MAX_WIDTH = 16;
  static final int VERBATIM = 32;

  /** Blocks copied out of an off-heap region per bulk read: a Spark batch of 4096 values. */
  private static final int CHUNK_BLOCKS = 32;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread buffers, so that decoding and encoding allocate nothing per block. */
  private static final class Scratch {
    /**
     * A run of blocks and its offset-table slice; sized for verbatim blocks, so that any run leaves
     * every block the room {@link BoundedBlockDecoder#readSpan} asks for.
     */
    final byte[] chunk = new byte[4 * (CHUNK_BLOCKS + 1) + CHUNK_BLOCKS * (1 + 4 * BLOCK) + BoundedBlockDecoder.SLACK];
    /** One block: being encoded, or copied away from a region's end. */
    final byte[] block = new byte[BoundedBlockDecoder.readSpan(VERBATIM)];
    final float[] values = new float[BLOCK];
  }

  private final double maxAbsError;
  private final Kernels kernels;

  private ErrorBoundedCodec(double maxAbsError, Kernels kernels) {
    this.maxAbsError = maxAbsError;
    this.kernels = kernels;
  }

  /** A codec on {@code kernels} that decodes, and refuses to encode: {@code QuantType.ERROR_BOUNDED.codec()}'s kind. */
  static ErrorBoundedCodec decoder(Kernels kernels) {
    return new ErrorBoundedCodec(Double.NaN, kernels);
  }

  /** An encoder whose every decoded value lies within {@code maxAbsError} of its input; 0 means lossless. */
  public static ErrorBoundedCodec withBound(double maxAbsError) {
    return withBound(maxAbsError, Kernels.SELECTED);
  }

  /** As {@link #withBound(double)}, on {@code kernels}. */
  static ErrorBoundedCodec withBound(double maxAbsError, Kernels kernels) {
    if (!(maxAbsError >= 0) || Double.isInfinite(maxAbsError)) {
      throw new IllegalArgumentException("maximum absolute error must be finite and >= 0, got " + maxAbsError);
    }
    return new ErrorBoundedCodec(maxAbsError, kernels);
  }

  /** The bound this codec encodes with, or NaN for the decode-only instance. */
  public double maxAbsError() {
    return maxAbsError;
  }

  @Override
  public QuantType type() {
    return QuantType.ERROR_BOUNDED;
  }

  /** Header, offset table, and every block verbatim. */
  @Override
  public long maxEncodedBytes(long n) {
    long blocks = QuantType.ERROR_BOUNDED.blockCount(n);
    return headerBytes(blocks) + blocks + 4 * n;
  }

  private static long headerBytes(long blocks) {
    return 4 + 4 * (blocks + 1);
  }

  /** Bytes of a block of {@code m} values whose first byte is {@code w}, or -1 for an unknown {@code w}. */
  static int blockBytes(int w, int m) {
    if (w == CONSTANT) {
      return 1 + 4;
    }
    if (w == VERBATIM) {
      return 1 + 4 * m;
    }
    if (w >= 1 && w <= MAX_WIDTH) {
      return 1 + 8 + (m * w + 7) / 8;
    }
    return -1;
  }

  private static int valuesIn(long block, long n) {
    return (int) Math.min(BLOCK, n - block * BLOCK);
  }

  @Override
  public void validate(ByteBuffer region, long n) throws LazyQFormatException {
    if (n < 0) {
      throw new LazyQFormatException(null, LazyQFormatException.NO_OFFSET, "negative value count " + n);
    }
    long limit = region.limit();
    if (limit < 4) {
      throw new LazyQFormatException(null, 0, "error_bounded region of " + limit + " bytes has no block count");
    }
    long blocks = Integer.toUnsignedLong(LittleEndian.i32(region, 0));
    long expectedBlocks = QuantType.ERROR_BOUNDED.blockCount(n);
    if (blocks != expectedBlocks) {
      throw new LazyQFormatException(null, 0,
          "error_bounded block count " + blocks + " does not match " + expectedBlocks + " for " + n + " values");
    }
    long tableEnd = headerBytes(blocks);
    if (tableEnd > limit) {
      throw new LazyQFormatException(null, 4,
          "offset table of " + (blocks + 1) + " entries runs past the region's " + limit + " bytes");
    }
    long start = Integer.toUnsignedLong(LittleEndian.i32(region, 4));
    if (start != tableEnd) {
      throw new LazyQFormatException(null, 4, "first block starts at " + start + ", not right after the offset table at " + tableEnd);
    }
    for (long k = 0; k < blocks; k++) {
      int entry = (int) (8 + 4 * k);
      long end = Integer.toUnsignedLong(LittleEndian.i32(region, entry));
      if (end <= start || end > limit) {
        throw new LazyQFormatException(null, entry,
            "block " + k + " ends at " + end + ": offsets must increase and stay within " + limit + " bytes (start " + start + ")");
      }
      int w = region.get((int) start) & 0xFF;
      int m = valuesIn(k, n);
      int size = blockBytes(w, m);
      if (size < 0) {
        throw new LazyQFormatException(null, start, "block " + k + " has unknown width byte " + w);
      }
      if (end - start != size) {
        throw new LazyQFormatException(null, start, "block " + k + " of width " + w + " and " + m
            + " values must be " + size + " bytes, but its offsets span " + (end - start));
      }
      start = end;
    }
    if (start != limit) {
      throw new LazyQFormatException(null, start, "region has " + (limit - start) + " bytes after its last block");
    }
  }

  @Override
  public void decode(ByteBuffer region, long first, int count, float[] dst, int dstOff) {
    Objects.checkFromIndexSize(dstOff, count, dst.length);
    if (first < 0) {
      throw new IndexOutOfBoundsException("first value " + first);
    }
    if (count == 0) {
      return;
    }
    int block = Math.toIntExact(first / BLOCK);
    int skip = (int) (first - (long) block * BLOCK);
    Scratch scratch = SCRATCH.get();
    if (region.hasArray()) {
      byte[] a = region.array();
      int base = region.arrayOffset();
      decodeRun(a, base + 4 + 4 * block, -base, a.length, skip, count, dst, dstOff, scratch);
      return;
    }
    // Off-heap, as a mapping is (or a read-only heap buffer): copy a run of blocks and its slice of
    // the offset table in two bulk reads, since each read of a direct buffer has a fixed cost that
    // a block-sized copy does not amortise.
    byte[] bytes = scratch.chunk;
    while (count > 0) {
      int blocks = (int) Math.min(CHUNK_BLOCKS, ((long) skip + count + BLOCK - 1) / BLOCK);
      int tableBytes = 4 * (blocks + 1);
      region.get(4 + 4 * block, bytes, 0, tableBytes);
      int at = LittleEndian.i32(bytes, 0);
      int end = LittleEndian.i32(bytes, 4 * blocks);
      region.get(at, bytes, tableBytes, end - at);
      int take = Math.min(count, blocks * BLOCK - skip);
      decodeRun(bytes, 0, at - tableBytes, bytes.length, skip, take, dst, dstOff, scratch);
      block += blocks;
      dstOff += take;
      count -= take;
      skip = 0;
    }
  }

  /**
   * Decodes {@code count} values from value {@code skip} of the block whose offset-table entry is
   * at {@code b[table]}; block offsets, less {@code shift}, index {@code b}, of which the first
   * {@code limit} bytes may be read.
   */
  private void decodeRun(byte[] b, int table, int shift, int limit, int skip, int count,
      float[] dst, int dstOff, Scratch scratch) {
    for (int entry = table; count > 0; entry += 4, skip = 0) {
      int at = LittleEndian.i32(b, entry) - shift;
      int take = Math.min(count, BLOCK - skip);
      byte[] src = b;
      if (at + BoundedBlockDecoder.readSpan(b[at] & 0xFF) > limit) {
        // Too near the end for the decoder's wide loads: decode a copy with room after it.
        int size = LittleEndian.i32(b, entry + 4) - shift - at;
        System.arraycopy(b, at, scratch.block, 0, size);
        src = scratch.block;
        at = 0;
      }
      if (take == BLOCK) {
        BoundedBlockDecoder.decode(kernels, src, at, BLOCK, dst, dstOff);
      } else {
        BoundedBlockDecoder.decode(kernels, src, at, skip + take, scratch.values, 0);
        System.arraycopy(scratch.values, skip, dst, dstOff, take);
      }
      dstOff += take;
      count -= take;
    }
  }

  @Override
  public boolean canEncode() {
    return !Double.isNaN(maxAbsError);
  }

  /** {@code dst} needs {@link #maxEncodedBytes} bytes remaining; fewer are usually written. */
  @Override
  public int encode(float[] src, int srcOff, int n, ByteBuffer dst) {
    if (!canEncode()) {
      throw new UnsupportedOperationException(
          "error_bounded needs a bound to encode: use ErrorBoundedCodec.withBound(maxAbsError)");
    }
    Objects.checkFromIndexSize(srcOff, n, src.length);
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(src[srcOff + i])) {
        throw new QuantizationException(i, src[srcOff + i], QuantType.ERROR_BOUNDED);
      }
    }
    if (dst.remaining() < maxEncodedBytes(n)) {
      throw new BufferOverflowException();
    }
    int blocks = (int) QuantType.ERROR_BOUNDED.blockCount(n);
    int regionStart = dst.position();
    byte[] table = new byte[(int) headerBytes(blocks)];
    LittleEndian.putInt(table, 0, blocks);
    dst.position(regionStart + table.length);
    Scratch scratch = SCRATCH.get();
    for (int k = 0; k < blocks; k++) {
      LittleEndian.putInt(table, 4 + 4 * k, dst.position() - regionStart);
      int m = valuesIn(k, n);
      int size = BoundedBlockEncoder.encode(kernels, src, srcOff + k * BLOCK, m, maxAbsError, scratch.block,
          scratch.values);
      dst.put(scratch.block, 0, size);
    }
    int written = dst.position() - regionStart;
    LittleEndian.putInt(table, 4 + 4 * blocks, written);
    dst.put(regionStart, table);
    return written;
  }
}
