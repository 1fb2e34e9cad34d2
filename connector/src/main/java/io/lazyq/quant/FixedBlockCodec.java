package io.lazyq.quant;

import io.lazyq.LazyQFormatException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A codec whose blocks all have their type's fixed size. Range handling, chunking and padding live
 * here once; subclasses supply the kernels, which see only whole blocks in a {@code byte[]}.
 *
 * <p>Kernels run on a heap array so that the JIT compiles them to plain loads it can unroll: a heap
 * region is read in place, any other (a mapping) is copied out a chunk at a time, unless the
 * kernels read it in place ({@link Kernels#decodeInPlace}).
 */
abstract class FixedBlockCodec implements BlockCodec {
  /** Bytes copied out of a region per kernel call: small enough that the copy stays in L1 for the kernel. */
  static final int CHUNK_BYTES = 16 * 1024;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread buffers, so that decoding allocates nothing. */
  private static final class Scratch {
    final byte[] bytes = new byte[CHUNK_BYTES];
    final float[] block = new float[256];
  }

  final QuantType type;
  final int blockSize;
  final int blockBytes;
  private final boolean canEncode;

  FixedBlockCodec(QuantType type, boolean canEncode) {
    this.type = type;
    this.blockSize = type.blockSize();
    this.blockBytes = type.blockBytes();
    this.canEncode = canEncode;
  }

  /** Decodes {@code blocks} whole blocks at {@code src[srcOff]} into {@code dst[dstOff]}. */
  abstract void decodeBlocks(byte[] src, int srcOff, int blocks, float[] dst, int dstOff);

  /**
   * Decodes {@code blocks} whole blocks at {@code region[at]}, a buffer without an array, in place
   * if the kernels can ({@link Kernels#decodeInPlace}); false if not, and the caller copies.
   */
  boolean decodeInPlace(ByteBuffer region, int at, int blocks, float[] dst, int dstOff) {
    return false;
  }

  /** Encodes one whole block of values at {@code src[srcOff]}; only encoders override this. */
  void encodeBlock(float[] src, int srcOff, byte[] dst, int dstOff) {
    throw new UnsupportedOperationException(type.label());
  }

  /** Encodes {@code blocks} whole blocks; types of one value per block override this to skip a call per value. */
  void encodeBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    for (int b = 0; b < blocks; b++) {
      encodeBlock(src, srcOff + b * blockSize, dst, dstOff + b * blockBytes);
    }
  }

  /**
   * Encodes whole blocks of a type that refuses NaN and infinity, checking as it goes: -1 when every
   * block was finite and is written, else the index of the first block holding a NaN or an
   * infinity (which blocks were written is then not said). Kernels that check while they encode
   * override this.
   */
  int encodeFiniteBlocks(float[] src, int srcOff, int blocks, byte[] dst, int dstOff) {
    int bad = Kernels.SELECTED.firstNonFinite(src, srcOff, blocks * blockSize);
    if (bad >= 0) {
      return bad / blockSize;
    }
    encodeBlocks(src, srcOff, blocks, dst, dstOff);
    return -1;
  }

  /**
   * Whether the encoder refuses NaN and infinities: quantized types cannot hold them, while the
   * plain float types (one value per block) convert them as ggml does.
   */
  private boolean finiteOnly() {
    return blockSize > 1;
  }

  /** Fills {@code block[filled, blockSize)} before a partial last block is encoded: zeros, as ggml pads. */
  void padTail(float[] block, int filled) {
    Arrays.fill(block, filled, blockSize, 0f);
  }

  @Override
  public final QuantType type() {
    return type;
  }

  @Override
  public long maxEncodedBytes(long n) {
    return type.byteSize(n);
  }

  @Override
  public void validate(ByteBuffer region, long n) throws LazyQFormatException {
    if (n < 0) {
      throw new LazyQFormatException(null, LazyQFormatException.NO_OFFSET, "negative value count " + n);
    }
    long expected;
    try {
      expected = type.byteSize(n);
    } catch (ArithmeticException e) {
      throw new LazyQFormatException(null, LazyQFormatException.NO_OFFSET,
          n + " values of " + type.label() + " overflow a byte size");
    }
    if (region.limit() != expected) {
      throw new LazyQFormatException(null, Math.min(region.limit(), expected),
          type.label() + " region for " + n + " values must be " + expected + " bytes, but is "
              + region.limit());
    }
  }

  @Override
  public void decode(ByteBuffer region, long first, int count, float[] dst, int dstOff) {
    Objects.checkFromIndexSize(dstOff, count, dst.length);
    if (first < 0) {
      throw new IndexOutOfBoundsException("first value " + first);
    }
    long block = first / blockSize;
    int skip = (int) (first - block * blockSize);
    if (skip != 0 && count > 0) {
      int take = Math.min(count, blockSize - skip);
      decodePartial(region, block, skip, take, dst, dstOff);
      block++;
      dstOff += take;
      count -= take;
    }
    int whole = count / blockSize;
    if (whole > 0) {
      decodeWhole(region, block, whole, dst, dstOff);
    }
    int rest = count - whole * blockSize;
    if (rest > 0) {
      decodePartial(region, block + whole, 0, rest, dst, dstOff + whole * blockSize);
    }
  }

  private void decodePartial(ByteBuffer region, long block, int skip, int take, float[] dst, int dstOff) {
    float[] values = SCRATCH.get().block;
    decodeWhole(region, block, 1, values, 0);
    System.arraycopy(values, skip, dst, dstOff, take);
  }

  private void decodeWhole(ByteBuffer region, long block, int blocks, float[] dst, int dstOff) {
    int at = Math.toIntExact(block * blockBytes);
    Objects.checkFromIndexSize(at, blocks * blockBytes, region.limit());
    if (region.hasArray()) {
      decodeBlocks(region.array(), region.arrayOffset() + at, blocks, dst, dstOff);
      return;
    }
    if (decodeInPlace(region, at, blocks, dst, dstOff)) {
      return;
    }
    byte[] bytes = SCRATCH.get().bytes;
    int perChunk = CHUNK_BYTES / blockBytes;
    while (blocks > 0) {
      int nb = Math.min(blocks, perChunk);
      region.get(at, bytes, 0, nb * blockBytes);
      decodeBlocks(bytes, 0, nb, dst, dstOff);
      at += nb * blockBytes;
      dstOff += nb * blockSize;
      blocks -= nb;
    }
  }

  @Override
  public boolean canEncode() {
    return canEncode;
  }

  @Override
  public int encode(float[] src, int srcOff, int n, ByteBuffer dst) {
    if (!canEncode()) {
      throw new UnsupportedOperationException(type.label()
          + " can be decoded but not encoded: its quantizer's output depends on ggml's build");
    }
    Objects.checkFromIndexSize(srcOff, n, src.length);
    long total = type.byteSize(n);
    if (dst.remaining() < total) {
      throw new BufferOverflowException();
    }
    if (finiteOnly() && dst.hasArray()) {
      encodeInPlace(src, srcOff, n, dst);
      return (int) total;
    }
    if (finiteOnly()) {
      // Every kernel finds the same index; the selected ones find it fastest.
      int bad = Kernels.SELECTED.firstNonFinite(src, srcOff, n);
      if (bad >= 0) {
        throw new QuantizationException(bad, src[srcOff + bad], type);
      }
    }
    Scratch scratch = SCRATCH.get();
    int whole = n / blockSize;
    int perChunk = CHUNK_BYTES / blockBytes;
    for (int b = 0; b < whole; ) {
      int nb = Math.min(perChunk, whole - b);
      encodeChunk(src, srcOff + b * blockSize, nb, scratch.bytes);
      dst.put(scratch.bytes, 0, nb * blockBytes);
      b += nb;
    }
    int rest = n - whole * blockSize;
    if (rest > 0) {
      encodeChunk(lastBlock(src, srcOff + whole * blockSize, rest, scratch), 0, 1, scratch.bytes);
      dst.put(scratch.bytes, 0, blockBytes);
    }
    return (int) total;
  }

  /**
   * Encodes a finite-only type straight into a heap buffer's array, the kernels checking for NaN
   * and infinity as they go: a separate pass over the input first cost a fifth of the q8_0
   * encoder's time, the copy out of a scratch array a little more. On a refusal the position is
   * unchanged; the bytes after it may have been written.
   */
  private void encodeInPlace(float[] src, int srcOff, int n, ByteBuffer dst) {
    byte[] out = dst.array();
    int at = dst.arrayOffset() + dst.position();
    int whole = n / blockSize;
    int bad = encodeFiniteBlocks(src, srcOff, whole, out, at);
    int rest = n - whole * blockSize;
    if (bad < 0 && rest > 0) {
      float[] last = lastBlock(src, srcOff + whole * blockSize, rest, SCRATCH.get());
      bad = encodeFiniteBlocks(last, 0, 1, out, at + whole * blockBytes) < 0 ? -1 : whole;
    }
    if (bad >= 0) {
      int first = bad * blockSize;
      int index = first + Kernels.SELECTED.firstNonFinite(src, srcOff + first, Math.min(blockSize, n - first));
      throw new QuantizationException(index, src[srcOff + index], type);
    }
    dst.position(dst.position() + (int) type.byteSize(n));
  }

  /** Encodes blocks whose values were checked already, if the type refuses NaN and infinity. */
  private void encodeChunk(float[] src, int srcOff, int blocks, byte[] dst) {
    if (finiteOnly()) {
      encodeFiniteBlocks(src, srcOff, blocks, dst, 0);
    } else {
      encodeBlocks(src, srcOff, blocks, dst, 0);
    }
  }

  /** The last {@code rest} values, padded to a whole block in the scratch block. */
  private float[] lastBlock(float[] src, int from, int rest, Scratch scratch) {
    float[] last = scratch.block;
    System.arraycopy(src, from, last, 0, rest);
    padTail(last, rest);
    return last;
  }
}
