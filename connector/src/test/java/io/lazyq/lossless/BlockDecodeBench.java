package io.lazyq.lossless;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Single-thread decode of float32 block encodings, in GB/s of float32 output per CPU second (CPU
 * time of this thread, so that other processes on a loaded machine count less), opening
 * included (which checks the block table and decompresses a stream's frame; blocks are checked as
 * they are first read): readings of the shapes the real sensor data has, by the default encoder and
 * by the lightweight one, with three shapes more for the lightweight one's runs, dictionaries and
 * raw bits. Run:
 *
 * <pre>
 * mvn -pl connector -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp connector/target/test-classes:connector/target/classes:$(cat /tmp/cp.txt) io.lazyq.lossless.BlockDecodeBench
 * </pre>
 */
public final class BlockDecodeBench {
  private static final StringBuilder SCHEMES = new StringBuilder();

  private static final float[] PALETTE = {0.1f, 250.3f, 17.9f, 1003.5f, 42.0f, 7.7f, 512.2f, 99.9f, 3.3f, 777.1f, 64.8f, 0f};

  private BlockDecodeBench() {}

  public static void main(String[] args) throws Exception {
    int n = 1 << 20;
    Random r = new Random(1);
    float[] ecg = new float[n];
    float[] noisy = new float[n];
    float[] smooth = new float[n];
    float[] bounded = new float[n];
    float[] steps = new float[n];
    float[] levels = new float[n];
    float[] raw = new float[n];
    float step = 0;
    double drift = 70;
    long walk = 0;
    for (int i = 0; i < n; i++) {
      walk += r.nextInt(9) - 4;
      walk = Math.max(-500, Math.min(300, walk));
      ecg[i] = (float) (5 * walk / 1000.0); // multiples of 0.005, three decimals
      noisy[i] = Math.round(r.nextGaussian() * 3000) / 100f; // two decimals of noise
      smooth[i] = Math.round(10000 + 50 * Math.sin(i / 300.0) * 10) / 10f; // one decimal, slow
      bounded[i] = (float) (0.1 * r.nextGaussian());
      if (r.nextInt(40) == 0) {
        step = r.nextInt(3) == 0 ? 0 : Math.round(r.nextGaussian() * 30) / 10f; // rain: runs of one decimal, mostly 0
      }
      steps[i] = step;
      levels[i] = PALETTE[r.nextInt(PALETTE.length)]; // a few far-apart levels in any order: a dictionary
      drift += r.nextGaussian() * 0.01;
      raw[i] = (float) drift; // full-precision floats, as NAB's machine temperature: raw bits
    }
    for (int round = 0; round < Integer.getInteger("bench.rounds", 3); round++) {
      System.out.printf("round %d: ecg %.2f  noisy %.2f  smooth %.2f  quantized(1e-3) %.2f GB/s of float32 per CPU second%n",
          round, measure(ecg, 0, false), measure(noisy, 0, false), measure(smooth, 0, false), measure(bounded, 1e-3, false));
      System.out.printf("  lightweight: ecg %.2f  noisy %.2f  smooth %.2f  quantized(1e-3) %.2f  steps %.2f  levels %.2f  raw %.2f%n",
          measure(ecg, 0, true), measure(noisy, 0, true), measure(smooth, 0, true), measure(bounded, 1e-3, true),
          measure(steps, 0, true), measure(levels, 0, true), measure(raw, 0, true));
      if (round == 0) {
        System.out.println("blocks:" + SCHEMES);
      }
    }
  }

  private static double measure(float[] values, double bound, boolean lightweight) throws Exception {
    int n = values.length;
    ByteBuffer plain = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    plain.asFloatBuffer().put(values);
    ByteBuffer region = (lightweight ? BlockEncoder.lightweight(ValueKind.FLOAT32, bound) : new BlockEncoder(ValueKind.FLOAT32, bound))
        .encode(plain, n);
    BlockDecoder d = null;
    float[] batch = new float[4096];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double best = 0;
    float sink = 0;
    for (int pass = 0; pass < 12; pass++) {
      long start = threads.getCurrentThreadCpuTime();
      d = BlockDecoder.open(region, ValueKind.FLOAT32, n);
      for (int at = 0; at < n; at += batch.length) {
        d.readFloats(at, batch.length, batch, 0);
        sink += batch[at & 4095];
      }
      d.release();
      long cpu = threads.getCurrentThreadCpuTime() - start;
      best = Math.max(best, 4.0 * n / cpu);
    }
    if (sink == 12345) {
      System.out.println();
    }
    for (int at = 0; at < n; at += batch.length) { // every value, against what was encoded
      d = BlockDecoder.open(region, ValueKind.FLOAT32, n);
      d.readFloats(at, batch.length, batch, 0);
      for (int i = 0; i < batch.length; i++) {
        if (Float.floatToRawIntBits(batch[i]) != Float.floatToRawIntBits(values[at + i]) && bound == 0) {
          throw new AssertionError("value " + (at + i) + ": " + batch[i] + " != " + values[at + i]);
        }
      }
    }
    SCHEMES.append(' ').append(d.schemeSummary());
    return best;
  }
}
