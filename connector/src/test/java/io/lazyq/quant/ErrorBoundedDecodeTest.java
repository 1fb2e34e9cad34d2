package io.lazyq.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The error-bounded decoder against the format's definition, read value by value with a bit
 * reader: random regions of every block width, from heap (at an array offset) and direct buffers,
 * whole and by sub-range, compared bit for bit.
 */
class ErrorBoundedDecodeTest {
  private static final int[] WIDTHS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 32};

  @Property(tries = 300)
  void decodesAsTheFormatDefines(@ForAll @IntRange(min = 1, max = 9000) int n, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 8999) int from, @ForAll @IntRange(min = 0, max = 9000) int length) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] region = randomRegion(n, r);
    float[] expected = reference(region, n);
    int first = from % n;
    int count = Math.min(length, n - first);
    int pad = r.nextInt(3) * 7;
    byte[] padded = new byte[pad + region.length];
    System.arraycopy(region, 0, padded, pad, region.length);
    ByteBuffer[] views = {
        ByteBuffer.wrap(region).order(ByteOrder.LITTLE_ENDIAN),
        ByteBuffer.wrap(padded).position(pad).slice().order(ByteOrder.LITTLE_ENDIAN),
        GgmlDecodeTest.direct(region)};
    for (ByteBuffer view : views) {
      String what = (view.isDirect() ? "direct" : "heap at " + view.arrayOffset()) + ", values ["
          + first + ", " + (first + count) + ") of " + n;
      float[] all = new float[n];
      QuantType.ERROR_BOUNDED.codec().decode(view, 0, n, all, 0);
      GgmlDecodeTest.assertBitsEqual(what, expected, 0, all, 0, n);
      float[] part = new float[count + 1];
      QuantType.ERROR_BOUNDED.codec().decode(view, first, count, part, 1);
      GgmlDecodeTest.assertBitsEqual(what, expected, first, part, 1, count);
    }
  }

  /** Blocks of random widths, bases, steps and codes, with a valid offset table. */
  private static byte[] randomRegion(int n, SplittableRandom r) {
    int blocks = (n + 127) / 128;
    ByteBuffer out = ByteBuffer.allocate(8 + 4 * blocks + blocks * 513).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(0, blocks);
    out.position(8 + 4 * blocks);
    for (int k = 0; k < blocks; k++) {
      out.putInt(4 + 4 * k, out.position());
      int m = Math.min(128, n - 128 * k);
      int w = WIDTHS[r.nextInt(WIDTHS.length)];
      int size = ErrorBoundedCodec.blockBytes(w, m);
      out.put((byte) w);
      out.putFloat((float) (r.nextGaussian() * 1e3));
      size -= 5;
      if (w >= 1 && w <= 16) {
        out.putFloat((float) Math.scalb(r.nextDouble(), -r.nextInt(20)));
        size -= 4;
      }
      for (int i = 0; i < size; i++) {
        out.put((byte) r.nextInt());
      }
    }
    out.putInt(4 + 4 * blocks, out.position());
    byte[] region = new byte[out.position()];
    out.get(0, region);
    return region;
  }

  /** The format's definition, one value and one bit at a time. */
  private static float[] reference(byte[] region, int n) {
    ByteBuffer b = ByteBuffer.wrap(region).order(ByteOrder.LITTLE_ENDIAN);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int at = b.getInt(4 + 4 * (i / 128));
      int j = i % 128;
      int w = b.get(at) & 0xFF;
      if (w == 32) {
        y[i] = b.getFloat(at + 1 + 4 * j);
      } else if (w == 0) {
        y[i] = b.getFloat(at + 1);
      } else {
        long q = 0;
        for (int bit = 0; bit < w; bit++) {
          int pos = j * w + bit;
          q |= (long) ((b.get(at + 9 + pos / 8) >> (pos % 8)) & 1) << bit;
        }
        y[i] = (float) ((double) b.getFloat(at + 1) + (double) b.getFloat(at + 5) * q);
      }
    }
    return y;
  }

  @Property(tries = 20)
  void regionsPassValidation(@ForAll @IntRange(min = 1, max = 3000) int n, @ForAll long seed) throws Exception {
    byte[] region = randomRegion(n, new SplittableRandom(seed));
    // Throws if the generator above drifts from the format, which would make the comparison moot.
    QuantType.ERROR_BOUNDED.codec().validate(ByteBuffer.wrap(region).order(ByteOrder.LITTLE_ENDIAN), n);
  }
}
