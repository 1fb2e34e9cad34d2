package io.lazyq.quant;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;

/**
 * Decodes (and encodes) one {@link QuantType}: a run of {@code n} float values stored as an
 * <em>encoded region</em> of bytes.
 *
 * <p>A region's byte 0 is the first block. Buffers passed in are little-endian and read with
 * absolute indexing, so their position and limit are left as they are. Every region must pass
 * {@link #validate} before it is decoded: decoding trusts the region's structure and leaves bounds
 * checks to the JVM's buffer accesses.
 */
public interface BlockCodec {

  QuantType type();

  /** Size in bytes of the region for {@code n} values; for variable-size types, an upper bound. */
  long maxEncodedBytes(long n);

  /**
   * Checks that {@code region} (its bytes {@code [0, region.limit())}) is a well-formed encoding of
   * exactly {@code n} values. Offsets in the exception are relative to the region.
   */
  void validate(ByteBuffer region, long n) throws LazyQFormatException;

  /**
   * Decodes values {@code [first, first + count)} of the region into {@code dst[dstOff ..]}. Only
   * the blocks that overlap the range are read.
   */
  void decode(ByteBuffer region, long first, int count, float[] dst, int dstOff);

  /** Whether {@link #encode} is supported. */
  boolean canEncode();

  /**
   * Encodes {@code src[srcOff, srcOff + n)} at {@code dst}'s position, and advances it past the
   * region. The last block is padded as ggml pads it.
   *
   * @return the number of bytes written
   * @throws QuantizationException if a value cannot be encoded (NaN or infinite); the position is
   *     then unchanged, though bytes after it in a heap buffer may have been written
   */
  int encode(float[] src, int srcOff, int n, ByteBuffer dst);
}
