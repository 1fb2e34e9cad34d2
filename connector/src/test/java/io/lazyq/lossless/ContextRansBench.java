package io.lazyq.lossless;

import com.github.luben.zstd.Zstd;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Single-thread decode of a stream's codes, rANS stage against zstd over byte planes, in millions
 * of codes per CPU second of this thread (best of 15 passes, three rounds), with each stage's
 * bytes per code: codes of the shapes the real sensor data's deltas have. Run:
 *
 * <pre>
 * mvn -pl connector -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp connector/target/test-classes:connector/target/classes:$(cat /tmp/cp.txt) io.lazyq.lossless.ContextRansBench
 * </pre>
 */
public final class ContextRansBench {
  private ContextRansBench() {}

  public static void main(String[] args) {
    int n = 262_144;
    Random r = new Random(1);
    long[] hourly = new long[n]; // zigzag deltas of 3-4 bits, with quiet stretches (hourly weather)
    long[] wide = new long[n]; // zigzag deltas of about 8 bits (two-decimal humidity)
    long[] regimes = new long[n]; // codes of 7 bits, then quiet stretches of 1 bit (vibration snapshots)
    for (int i = 0; i < n; i++) {
      hourly[i] = zigzag(Math.round(r.nextGaussian() * ((i / 5000) % 3 == 0 ? 0.4 : 3)));
      wide[i] = zigzag(Math.round(r.nextGaussian() * 60));
      regimes[i] = i < n / 2 ? Math.max(0, (long) (r.nextGaussian() * 70 + 300)) : r.nextInt(3);
    }
    for (int round = 0; round < 3; round++) {
      System.out.printf("round %d: %s | %s | %s%n", round, measure("hourly", hourly), measure("wide", wide),
          measure("regimes", regimes));
    }
  }

  private static long zigzag(long d) {
    return (d << 1) ^ (d >> 63);
  }

  private static String measure(String name, long[] codes) {
    int n = codes.length;
    int b = 0;
    for (long c : codes) {
      b = Math.max(b, (64 - Long.numberOfLeadingZeros(c) + 7) / 8);
    }
    byte[] split = new byte[n * b];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < b; j++) {
        split[j * n + i] = (byte) (codes[i] >>> (8 * j));
      }
    }
    byte[] zstd = Zstd.compress(split, RegionStream.LEVEL);
    byte[] rans = ContextRans.encode(codes, n);
    byte[] planes = new byte[n * b];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double bestRans = 0;
    int[] shape = {rans[0], rans[1], rans[2]};
    double bestZstd = 0;
    for (int pass = 0; pass < 15; pass++) {
      long t0 = threads.getCurrentThreadCpuTime();
      if (ContextRans.decode(rans, 0, rans.length, n, b, planes) != null) {
        throw new IllegalStateException("rANS decode failed");
      }
      long t1 = threads.getCurrentThreadCpuTime();
      if (BlockFormat.unzstd(planes, n * b, zstd, 0, zstd.length) != n * b) {
        throw new IllegalStateException("zstd decode failed");
      }
      long t2 = threads.getCurrentThreadCpuTime();
      bestRans = Math.max(bestRans, n * 1e3 / Math.max(1, t1 - t0));
      bestZstd = Math.max(bestZstd, n * 1e3 / Math.max(1, t2 - t1));
    }
    return String.format("%s (model %d, %d-bit alphabet, scale %d) rANS %.3f B/code %.0f M/s, zstd %.3f B/code %.0f M/s", name,
        shape[0], shape[1], shape[2], (double) rans.length / n, bestRans, (double) zstd.length / n, bestZstd);
  }
}
