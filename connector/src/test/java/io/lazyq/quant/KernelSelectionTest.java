package io.lazyq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which kernels a fresh JVM chooses, what it logs, and which classes it loads. */
class KernelSelectionTest {
  @TempDir
  Path dir;

  @Test
  void withoutTheModuleDecodesOnScalarKernelsAndSaysSoOnce() throws Exception {
    Child child = run();
    assertEquals("scalar", child.stdout.strip());
    List<String> lines = child.logLines();
    assertEquals(1, lines.size(), child.stderr);
    assertTrue(lines.get(0).contains("scalar (jdk.incubator.vector is not readable"), lines.get(0));
    assertFalse(child.classesLoaded.contains("VectorKernels"));
    assertFalse(child.classesLoaded.contains("jdk.incubator.vector."));
  }

  @Test
  void withTheModuleDecodesOnVectorKernels() throws Exception {
    Child child = run("--add-modules=jdk.incubator.vector");
    assertTrue(child.stdout.strip().startsWith("vector ("), child.stdout);
    List<String> lines = child.logLines();
    assertEquals(1, lines.size(), child.stderr);
    assertTrue(lines.get(0).contains("LazyQ codec kernels: vector"), lines.get(0));
    assertTrue(lines.get(0).contains("each kernel scalar until its vector code is compiled"), lines.get(0));
    // ByteVector.fromByteBuffer, which the kernels that read buffers in place call, is gone since JDK 19.
    boolean inPlace = Runtime.version().feature() < 19;
    assertEquals(inPlace, child.stdout.contains("direct buffers read in place"), child.stdout);
    assertEquals(inPlace, child.classesLoaded.contains("io.lazyq.quant.BufferVectorKernels"));
    // Where it is not, ConvertingVectorKernels rounds with the float-to-int conversion, which JDK 17's
    // C2 leaves to the Java fallback: that JVM must not load it.
    assertEquals(!inPlace, child.stdout.contains("float-to-int conversions"), child.stdout);
    assertEquals(!inPlace, child.classesLoaded.contains("io.lazyq.quant.ConvertingVectorKernels"));
  }

  @Test
  void vectorRequiredRunsTheVectorKernelsFromTheirFirstCall() throws Exception {
    Child child = run("--add-modules=jdk.incubator.vector", "-Dlazyq.kernels=vector");
    assertTrue(child.stdout.strip().startsWith("vector ("), child.stdout);
    assertFalse(child.stdout.contains("scalar until"), child.stdout);
    assertEquals(1, child.logLines().size(), child.stderr);
  }

  @Test
  void scalarCanBeChosen() throws Exception {
    Child child = run("--add-modules=jdk.incubator.vector", "-Dlazyq.kernels=scalar");
    assertEquals("scalar", child.stdout.strip());
    assertFalse(child.classesLoaded.contains("VectorKernels"));
  }

  /** Decodes every vectorised type once, then prints the kernels in use. */
  public static void main(String[] args) {
    for (QuantType type : List.of(QuantType.F16, QuantType.BF16, QuantType.Q8_0, QuantType.Q4_0,
        QuantType.Q4_1, QuantType.Q5_0, QuantType.Q5_1, QuantType.Q4_K, QuantType.Q5_K,
        QuantType.AFFINE8, QuantType.AFFINE4)) {
      int n = 2 * type.blockSize();
      ByteBuffer region = ByteBuffer.allocate((int) type.byteSize(n)).order(ByteOrder.LITTLE_ENDIAN);
      type.codec().decode(region, 0, n, new float[n], 0);
    }
    String kernels = Kernels.SELECTED.describe();
    System.out.println(kernels.startsWith("vector") ? kernels : "scalar");
  }

  private record Child(String stdout, String stderr, String classesLoaded) {
    List<String> logLines() {
      return stderr.lines().filter(l -> l.contains("LazyQ codec kernels")).collect(Collectors.toList());
    }
  }

  private Child run(String... options) throws IOException, InterruptedException {
    Path classes = dir.resolve("classes.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-Xlog:class+load=info:file=" + classes));
    command.addAll(List.of(options));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelSelectionTest.class.getName()));
    Process p = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile())
        .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
    String stderr = Files.readString(dir.resolve("err"));
    assertEquals(0, p.exitValue(), stderr);
    return new Child(Files.readString(dir.resolve("out")), stderr, Files.readString(classes));
  }
}
