package io.lazyq.lossless;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link BlockKernels} decodes every integer block it takes to exactly what {@link IntBlock#read}
 * and a conversion of each integer give, bit for bit: blocks the planner writes (constants, runs,
 * dictionaries, deltas of a smooth walk, few or many distinct values) and the same blocks with any byte changed
 * that still pass the structural check a decoder makes before decoding.
 */
class BlockKernelsProperties {

  @Property(tries = 1000)
  void kernelsMatchTheIntegerPath(@ForAll @IntRange(min = 1, max = 1024) int m, @ForAll @IntRange(min = 1, max = 40) int distinct,
      @ForAll @IntRange(min = 1, max = 300) int meanRun, @ForAll @IntRange(min = 0, max = 4) int damage, @ForAll boolean walk, @ForAll long seed) {
    Random r = new Random(seed);
    long[] palette = new long[distinct];
    for (int j = 0; j < distinct; j++) {
      palette[j] = r.nextBoolean() ? r.nextInt(100_000) - 50_000 : Float.floatToRawIntBits((float) r.nextGaussian());
    }
    long[] v = new long[m];
    long value = palette[0];
    for (int i = 0; i < m; i++) {
      if (r.nextInt(meanRun) == 0) {
        value = palette[r.nextInt(distinct)];
      }
      v[i] = r.nextInt(50) == 0 ? value + r.nextInt(3) : value; // now and then a delta's small step
      if (walk && i > 0) {
        v[i] = v[i - 1] + r.nextInt(7) - 3; // a smooth signal: a delta block
      }
    }
    IntBlock plan = new IntBlock(true, true);
    int size = plan.plan(v, m);
    byte[] in = new byte[size + 64];
    plan.write(v, m, in, 0);
    for (int k = 0; k < damage; k++) {
      in[r.nextInt(size)] = (byte) r.nextInt(256);
    }
    if (IntBlock.end(in, 0, m, size) != size) {
      return; // refused by the decoder's check before any kernel runs
    }
    long[] ints = new long[1024];
    long[] tmp = new long[2048];
    if (IntBlock.read(in, 0, m, ints, tmp) != null) {
      return;
    }
    BlockKernels kernels = new BlockKernels();
    double scale = 1e-2;
    float[] f = new float[m + 3];
    for (boolean bits : new boolean[] {false, true}) {
      boolean taken = kernels.floats(in, 0, m, scale, bits, f, 3);
      if (!bits) {
        Statistics.label("scheme").collect(taken ? BlockFormat.schemeName(in[0]) : "integer path");
      }
      if (taken) {
        for (int i = 0; i < m; i++) {
          float expected = bits ? Float.intBitsToFloat((int) ints[i]) : (float) (ints[i] * scale);
          assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(f[3 + i]), "float " + i + ", bits " + bits);
        }
      }
    }
    double[] d = new double[m + 1];
    for (int mode : new int[] {BlockKernels.BITS, BlockKernels.DIVIDE, BlockKernels.MULTIPLY}) {
      double factor = mode == BlockKernels.DIVIDE ? 1e3 : 0.25;
      if (kernels.doubles(in, 0, m, factor, mode, d, 1)) {
        for (int i = 0; i < m; i++) {
          double expected = mode == BlockKernels.BITS ? Double.longBitsToDouble(ints[i])
              : mode == BlockKernels.DIVIDE ? ints[i] / factor : ints[i] * factor;
          assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(d[1 + i]), "double " + i + ", mode " + mode);
        }
      }
    }
    // The kernels must have taken each scheme they exist for, not left every block to the integer path.
    Statistics.label("scheme").coverage(c -> {
      c.check(BlockFormat.schemeName(BlockFormat.CONSTANT)).count(n -> n > 0);
      c.check(BlockFormat.schemeName(BlockFormat.RUNS)).count(n -> n > 0);
      c.check(BlockFormat.schemeName(BlockFormat.DICTIONARY)).count(n -> n > 0);
      c.check(BlockFormat.schemeName(BlockFormat.DELTA)).count(n -> n > 0);
    });
  }

  /**
   * {@link Frame#readScaled} (eight codes a load pair up to 16 bits, eight loads from 17 to 56, the
   * general loop beyond and for the tail) gives what {@link Frame#read} and a conversion of each
   * integer give, bit for bit, for every width and steps of 1 (which some loops take without a
   * multiply) and more, with and without the running sum of a delta.
   */
  @Property(tries = 300)
  void scaledFramesMatchTheIntegers(@ForAll @IntRange(min = 0, max = 64) int w, @ForAll @IntRange(min = 1, max = 1024) int count,
      @ForAll boolean running, @ForAll boolean coarse, @ForAll @IntRange(min = 1, max = 3) int step, @ForAll long seed) {
    Random r = new Random(seed);
    long[] v = new long[count];
    long base = r.nextInt(2001) - 1000;
    long s = w > 60 ? 1 : step; // a step above 1 takes the loops' multiply; the widest codes leave no room for it
    for (int i = 0; i < count; i++) {
      long q = w == 0 ? 0 : w == 64 ? r.nextLong() : r.nextLong() >>> (64 - w);
      v[i] = base + s * q; // every code of width w, up to the widest
    }
    Frame frame = Frame.of(v, 0, count);
    byte[] in = new byte[frame.bytes(count) + 8 + 5];
    frame.write(v, 0, count, in, 5);
    long[] ints = new long[count];
    Frame.read(in, 5, count, ints, 0);
    double scale = coarse ? 2.75 : 1e-3; // a decimal's 10^-e, or a quantized block's step, which may pass 1
    float[] f = new float[count + 2];
    long first = running ? r.nextInt(1000) : 0;
    Frame.readScaled(in, 5, count, scale, running, first, f, 2);
    long acc = first;
    for (int i = 0; i < count; i++) {
      assertEquals(v[i], ints[i], "integer " + i);
      long x = running ? (acc += ints[i]) : ints[i];
      assertEquals(Float.floatToRawIntBits((float) (x * scale)), Float.floatToRawIntBits(f[2 + i]), "float " + i + " of width " + frame.width());
    }
  }

  /**
   * {@link Frame#readBits} (a frame or a delta of a float's raw bits, straight to float32) gives
   * what {@link Frame#read} and each integer's low 32 bits as a float's give, bit for bit, for
   * every width and any base, step and codes, as a damaged block may hold them, with and without
   * the running sum of a delta.
   */
  @Property(tries = 300)
  void bitFramesMatchTheIntegers(@ForAll @IntRange(min = 0, max = 64) int w, @ForAll @IntRange(min = 1, max = 1024) int count,
      @ForAll boolean running, @ForAll long seed) {
    Random r = new Random(seed);
    byte[] in = new byte[5 + Frame.HEADER_BYTES + Frame.packedBytes(count, w) + 8];
    r.nextBytes(in); // codes, and bytes past the frame that a load may touch
    BlockFormat.putI64(in, 5, r.nextBoolean() ? r.nextLong() : r.nextInt(2001) - 1000);
    BlockFormat.putI64(in, 13, r.nextBoolean() ? r.nextLong() : 1 + r.nextInt(3));
    in[21] = (byte) w;
    long[] ints = new long[count];
    Frame.read(in, 5, count, ints, 0);
    float[] f = new float[count + 2];
    long first = r.nextLong();
    Frame.readBits(in, 5, count, running, first, f, 2);
    long acc = first;
    for (int i = 0; i < count; i++) {
      long x = running ? (acc += ints[i]) : ints[i];
      assertEquals(Float.floatToRawIntBits(Float.intBitsToFloat((int) x)), Float.floatToRawIntBits(f[2 + i]), "float " + i + " of width " + w);
    }
  }
}
