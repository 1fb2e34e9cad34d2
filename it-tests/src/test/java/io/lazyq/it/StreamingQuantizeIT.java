package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.cli.LazyQ;
import io.lazyq.gguf.GgufFile;
import io.lazyq.quant.QuantType;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorSpec;
import io.lazyq.tensorfiles.TensorFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code lazyq quantize} in a JVM of 256 MB of heap over an F32 Safetensors file of more than
 * 2 GB, {@code --plan} over the same file under 100 MB of RSS, and, on a small file, the command's
 * output byte for byte against quantizing each whole tensor in memory.
 */
class StreamingQuantizeIT {
  private static final QuantType TARGET = QuantType.Q4_0;
  private static final Pattern OUTPUT_BYTES = Pattern.compile("output: (\\d+) bytes");
  private static Path dir;

  @BeforeAll
  static void dir() throws Exception {
    dir = ItData.freshDir("quantize");
  }

  @AfterAll
  static void cleanUp() {
    ItData.delete(dir);
  }

  @Test
  void quantizesMoreThan2GbUnder256MbOfHeapAndPlansUnder100MbOfRss() throws Exception {
    // four 512 MiB matrices and a norm: 2 GiB of F32
    List<TensorSpec> specs = TensorSource.specs(4, 16_384, 8_192);
    Path in = dir.resolve("big.safetensors");
    long t0 = System.nanoTime();
    TensorSource.write(in, specs);
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    long inBytes = Files.size(in);
    assertTrue(inBytes > 2_000_000_000L, inBytes + " bytes");

    // A plan reads the index alone: a small heap suffices, and the RSS is then the JVM's own.
    ChildJvm.Result plan = ChildJvm.forPeakRss("64m", ItData.log("quantize-plan.log"), LazyQ.class.getName(),
        "quantize", in.toString(), dir.resolve("unused.gguf").toString(), "--type", TARGET.label(), "--plan").run(2);
    assertEquals(0, plan.exitCode(), plan.output());
    long planRss = rss(plan);
    assertTrue(planRss < 100L << 20, "plan peak RSS " + planRss);

    Path out = dir.resolve("big-q4_0.gguf");
    long t1 = System.nanoTime();
    ChildJvm.Result run = ChildJvm.timed("256m", ItData.log("quantize-run.log"), Measured.class.getName(),
        LazyQ.class.getName(), "quantize", in.toString(), out.toString(), "--type", TARGET.label()).run(10);
    double runSeconds = (System.nanoTime() - t1) / 1e9;
    assertEquals(0, run.exitCode(), run.output());
    assertEquals(outputBytes(plan), Files.size(out));
    assertEquals(outputBytes(run), Files.size(out));
    long heap = Long.parseLong(run.values().get(Reports.PEAK_HEAP));
    assertTrue(heap <= 256L << 20, "peak heap " + heap);
    checkSampledRows(in, out);

    System.out.printf("quantize %s -> %s: %s -> %s in %.1f s (%.0f MB/s of F32; source written in %.1f s);"
            + " -Xmx256m: peak heap %s, peak RSS %s (mapped input pages included),"
            + " anonymous RSS at exit %s; --plan (-Xmx64m): peak RSS %s%n",
        in.getFileName(), TARGET.label(), Reports.mib(inBytes), Reports.mib(Files.size(out)), runSeconds,
        inBytes / runSeconds / 1e6, writeSeconds, Reports.mib(heap), Reports.mib(rss(run)),
        Reports.mib(Long.parseLong(run.values().getOrDefault(Reports.RSS_ANON, "0"))), Reports.mib(planRss));
    Files.delete(in);
    Files.delete(out);
  }

  /**
   * Through the command, with tensors of several quantizer chunks (the last one partial), each
   * tensor's bytes equal those of quantizing it whole in memory.
   */
  @Test
  void streamedOutputEqualsWholeTensorQuantization() throws Exception {
    List<TensorSpec> specs = TensorSource.specs(2, 600, 4_096);
    Path in = dir.resolve("small.safetensors");
    TensorSource.write(in, specs);
    Path out = dir.resolve("small-q4_0.gguf");
    ChildJvm.Result run = ChildJvm.of("256m", ItData.log("quantize-small.log"), LazyQ.class.getName(),
        "quantize", in.toString(), out.toString(), "--type", TARGET.label()).run(2);
    assertEquals(0, run.exitCode(), run.output());
    try (TensorFile src = TensorFiles.open(in); GgufFile q = GgufFile.open(out)) {
      for (TensorInfo t : src.tensors()) {
        TensorInfo o = q.require(t.name());
        byte[] expected;
        if (t.rank() < 2) {
          expected = bytes(src.data(t));
        } else {
          float[] all = src.view(t).toFloatArray();
          ByteBuffer enc = ByteBuffer.allocate((int) TARGET.byteSize(all.length)).order(ByteOrder.LITTLE_ENDIAN);
          TARGET.codec().encode(all, 0, all.length, enc);
          expected = enc.array();
        }
        assertArrayEquals(expected, bytes(q.data(o)), t.name());
      }
    }
  }

  /** Rows spread over every matrix, re-quantized here from the generator, equal the file's. */
  private static void checkSampledRows(Path in, Path out) throws Exception {
    try (TensorFile src = TensorFiles.open(in); GgufFile q = GgufFile.open(out)) {
      for (TensorInfo t : src.tensors()) {
        if (t.rank() < 2) {
          continue;
        }
        TensorInfo o = q.require(t.name());
        assertEquals(TARGET.label(), o.type().label(), t.name());
        int cols = (int) t.rowLength();
        long rowBytes = TARGET.byteSize(cols);
        ByteBuffer data = q.data(o);
        float[] row = new float[cols];
        for (long r : new long[] {0, 1, t.rows() / 3, t.rows() / 2 + 7, t.rows() - 1}) {
          TensorSource.row(Integer.parseInt(t.name().substring(1)) + 1, r, row, cols);
          ByteBuffer enc = ByteBuffer.allocate((int) rowBytes).order(ByteOrder.LITTLE_ENDIAN);
          TARGET.codec().encode(row, 0, cols, enc);
          byte[] actual = new byte[(int) rowBytes];
          data.get((int) (r * rowBytes), actual);
          assertArrayEquals(enc.array(), actual, t.name() + " row " + r);
        }
      }
    }
  }

  private static long outputBytes(ChildJvm.Result r) {
    Matcher m = OUTPUT_BYTES.matcher(r.output());
    assertTrue(m.find(), r.output());
    return Long.parseLong(m.group(1));
  }

  /** Peak RSS: from /usr/bin/time where it ran, else the child's own VmHWM. */
  private static long rss(ChildJvm.Result r) {
    OptionalLong time = Reports.timeMaxRss(r.output());
    Map<String, String> v = r.values();
    return time.isPresent() ? time.getAsLong() : Long.parseLong(v.get(Reports.VM_HWM));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }
}
