package io.lazyq.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lazyq.quant.BlockCodec;
import io.lazyq.quant.QuantType;
import io.lazyq.testing.ReaderContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Every block decoder on arbitrary bytes: a region that passes {@link BlockCodec#validate} must
 * decode, whole and in any sub-range, without an exception. An input is framed as
 *
 * <pre>
 *   u8  type           index into QuantType.values(), modulo their number
 *   u8  mode           bit 0: direct buffer; bit 1: value count from the next u32, else from the region's size
 *   u32 value count    (little-endian; read only with mode bit 1)
 *   region             the rest
 * </pre>
 */
class BlockCodecFuzzTest {
  /** Values decoded at most per input, so that a region of a few bytes cannot claim a billion. */
  private static final int MAX_VALUES = 1 << 20;

  @FuzzTest
  @Timeout(ReaderContract.HANG_SECONDS)
  void decode(byte[] input) {
    if (input.length < 2) {
      return;
    }
    QuantType type = QuantType.values()[(input[0] & 0xFF) % QuantType.values().length];
    int mode = input[1];
    int header = (mode & 2) != 0 ? 6 : 2;
    if (input.length < header) {
      return;
    }
    ByteBuffer region = ((mode & 1) != 0 ? ByteBuffer.allocateDirect(input.length - header)
        : ByteBuffer.allocate(input.length - header)).order(ByteOrder.LITTLE_ENDIAN);
    region.put(input, header, input.length - header).flip();
    long n = (mode & 2) != 0
        ? ByteBuffer.wrap(input, 2, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL
        : valuesFilling(type, region);
    BlockCodec codec = type.codec();
    ReaderContract.check(input.length, () -> {
      codec.validate(region, n);
      if (n > MAX_VALUES) {
        return;
      }
      int count = (int) n;
      float[] all = new float[count];
      codec.decode(region, 0, count, all, 0);
      float[] some = new float[count];
      int first = count / 3;
      codec.decode(region, first, count - first, some, 0);
      for (int i = first; i < count; i++) {
        // Every NaN is the same NaN: which payload an arithmetic NaN carries is unspecified (C2 may
        // swap the operands of q * d + m where d and m are both NaN), in Java as in C.
        if (Float.floatToIntBits(all[i]) != Float.floatToIntBits(some[i - first])) {
          throw new AssertionError(type + ": value " + i + " decodes differently in a sub-range");
        }
      }
      if (count > 0) {
        codec.decode(region, count - 1, 1, some, 0);
      }
    });
  }

  /** The value count whose region a fixed-size type fills exactly; for others, the count its header implies. */
  private static long valuesFilling(QuantType type, ByteBuffer region) {
    if (type.isFixedSize()) {
      return (long) region.limit() / type.blockBytes() * type.blockSize();
    }
    return region.limit() < 4 ? 0 : (region.getInt(0) & 0xFFFF_FFFFL) * type.blockSize();
  }
}
