package io.lazyq.quant;

import io.lazyq.format.LazyQFormatException;
import java.nio.ByteBuffer;

/**
 * Codecs by type. This minimal version covers F32, F16, BF16 and Q8_0; the full set of kernels
 * replaces it.
 */
public final class BlockCodecs {
  private BlockCodecs() {}

  public static BlockCodec of(QuantType type) {
    switch (type) {
      case F32:
      case F16:
      case BF16:
      case Q8_0:
        return new Simple(type);
      default:
        throw new UnsupportedOperationException("no codec for " + type.label() + " yet");
    }
  }

  private static final class Simple implements BlockCodec {
    private final QuantType type;

    Simple(QuantType type) {
      this.type = type;
    }

    @Override
    public QuantType type() {
      return type;
    }

    @Override
    public long maxEncodedBytes(long n) {
      return type.byteSize(n);
    }

    @Override
    public void validate(ByteBuffer region, long n) throws LazyQFormatException {
      if (region.limit() != type.byteSize(n)) {
        throw new LazyQFormatException(null, 0, "region of " + region.limit() + " bytes, expected "
            + type.byteSize(n));
      }
    }

    @Override
    public void decode(ByteBuffer r, long first, int count, float[] dst, int off) {
      for (int i = 0; i < count; i++) {
        long k = first + i;
        switch (type) {
          case F32: dst[off + i] = r.getFloat((int) (4 * k)); break;
          case F16: dst[off + i] = half(r.getShort((int) (2 * k))); break;
          case BF16: dst[off + i] = Float.intBitsToFloat((r.getShort((int) (2 * k)) & 0xffff) << 16); break;
          default:
            int block = (int) (k / 32) * 34;
            dst[off + i] = half(r.getShort(block)) * r.get(block + 2 + (int) (k % 32));
        }
      }
    }

    @Override
    public boolean canEncode() {
      return true;
    }

    @Override
    public int encode(float[] src, int off, int n, ByteBuffer dst) {
      int start = dst.position();
      switch (type) {
        case F32: for (int i = 0; i < n; i++) dst.putFloat(src[off + i]); break;
        case F16: for (int i = 0; i < n; i++) dst.putShort(toHalf(src[off + i])); break;
        case BF16:
          for (int i = 0; i < n; i++) {
            int b = Float.floatToRawIntBits(src[off + i]);
            dst.putShort((short) ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16));
          }
          break;
        default:
          for (int b = 0; b < n; b += 32) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
              amax = Math.max(amax, Math.abs(src[off + b + j]));
            }
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            dst.putShort(toHalf(d));
            for (int j = 0; j < 32; j++) {
              float x = src[off + b + j] * id;
              dst.put((byte) (x < 0 ? -Math.round(-x) : Math.round(x)));
            }
          }
      }
      return dst.position() - start;
    }
  }

  static float half(short h) {
    int s = (h >>> 15) & 1;
    int e = (h >>> 10) & 0x1f;
    int m = h & 0x3ff;
    float v = e == 0 ? m * 0x1p-24f : e == 31 ? (m == 0 ? Float.POSITIVE_INFINITY : Float.NaN)
        : Float.intBitsToFloat(((e + 112) << 23) | (m << 13));
    return s == 1 ? -v : v;
  }

  static short toHalf(float f) {
    int b = Float.floatToRawIntBits(f);
    int sign = (b >>> 16) & 0x8000;
    float a = Math.abs(f);
    if (Float.isNaN(f)) {
      return (short) (sign | 0x7e00);
    }
    if (a >= 65520f) {
      return (short) (sign | 0x7c00);
    }
    if (a < 0x1p-14f) {
      return (short) (sign | Math.round(a * 0x1p24f));
    }
    int ab = b & 0x7fffffff;
    int r = ab + 0xfff + ((ab >>> 13) & 1);
    return (short) (sign | ((r - (112 << 23)) >>> 13));
  }
}
