package io.lazyq.quant.bench;

import io.lazyq.quant.BlockCodec;
import io.lazyq.quant.QuantType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * {@link DecodeBench}'s decoding outside JMH: the same region, codec and call, in a plain loop,
 * timed by the thread's CPU time over repeats of about a second each. It shows what the kernel
 * itself reaches without the harness, and its compiled code can be printed with
 * {@code -XX:CompileCommand=print,...} to compare with JMH's {@code perfasm}.
 *
 * <p>{@code java --add-modules=jdk.incubator.vector -Dlazyq.kernels=vector -cp ... DecodeLoop
 * TYPE [heap|direct] [values per call] [repeats]}
 */
public final class DecodeLoop {
  private DecodeLoop() {}

  public static void main(String[] args) {
    QuantType type = QuantType.byLabel(args[0]).orElseThrow();
    boolean heap = args.length < 2 || args[1].equals("heap");
    int values = args.length < 3 ? DecodeBench.VALUES : Integer.parseInt(args[2]);
    int repeats = args.length < 4 ? 8 : Integer.parseInt(args[3]);
    BlockCodec codec = type.codec();
    ByteBuffer encoded = DecodeBench.encodedSignal(codec);
    byte[] bytes = Arrays.copyOf(encoded.array(), encoded.limit());
    ByteBuffer region = heap ? ByteBuffer.wrap(bytes) : ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    region = region.order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[DecodeBench.VALUES];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] gbs = new double[repeats];
    int next = 0;
    float sink = 0;
    for (int r = 0; r < repeats; r++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long end = System.nanoTime() + 1_000_000_000L;
      long calls = 0;
      while (System.nanoTime() < end) {
        for (int k = 0; k < 64; k++, calls++) {
          codec.decode(region, next, values, out, next);
          next = next + values == DecodeBench.VALUES ? 0 : next + values;
        }
        sink += out[next];
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      gbs[r] = 4.0 * values * calls / cpu;
      System.out.printf("%s %s %d: %.1f GB/s%n", type.label(), heap ? "heap" : "direct", values, gbs[r]);
    }
    double[] sorted = gbs.clone();
    Arrays.sort(sorted);
    System.out.printf("median of the last %d: %.1f GB/s (%s)%n", repeats, sorted[repeats / 2], sink == 1 ? "" : "-");
  }
}
