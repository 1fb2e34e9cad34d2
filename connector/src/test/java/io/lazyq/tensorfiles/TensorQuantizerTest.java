package io.lazyq.tensorfiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.gguf.GgufFile;
import io.lazyq.quant.QuantType;
import io.lazyq.safetensors.SafetensorsWriter;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.Fixtures;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.PlainType;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorQuantizerTest {
  @TempDir Path dir;

  private Path safetensors() throws Exception {
    List<TensorSpec> specs = List.of(
        new TensorSpec("w.big", ElementType.of(QuantType.F32), new long[] {40, 96}),
        new TensorSpec("w.half", ElementType.of(QuantType.F16), new long[] {2, 3, 64}),
        new TensorSpec("norm", ElementType.of(QuantType.F32), new long[] {96}),
        new TensorSpec("odd", ElementType.of(QuantType.F32), new long[] {4, 40}),
        new TensorSpec("ids", ElementType.of(PlainType.I32), new long[] {2, 32}));
    Path p = dir.resolve("in.safetensors");
    Random r = new Random(1);
    try (SafetensorsWriter w = SafetensorsWriter.create(p,
        Metadata.of(Map.of("format", MetadataValue.string("pt"))), specs)) {
      for (TensorSpec s : specs) {
        ByteBuffer b = ByteBuffer.allocate((int) s.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
          if (s.type() == ElementType.of(QuantType.F16)) {
            b.putShort((short) (0x3000 + r.nextInt(0x1000)));
          } else {
            b.putFloat((float) r.nextGaussian());
          }
        }
        w.writeTensor(s.name(), b.flip());
      }
      w.commit();
    }
    return p;
  }

  @Test
  void streamingEqualsInMemoryQuantization() throws Exception {
    Path in = safetensors();
    for (QuantType target : List.of(QuantType.Q8_0, QuantType.F16)) {
      Path out = dir.resolve("out-" + target.label() + ".gguf");
      TensorQuantizer.Plan plan;
      try (TensorFile f = TensorFiles.open(in)) {
        // chunks of 200 values: several chunks per tensor, and rows longer than a chunk
        plan = TensorQuantizer.quantize(f, out, target, 200);
        assertEquals(target == QuantType.F16 ? List.of("w.half", "norm", "ids")
            : List.of("norm", "odd", "ids"),
            plan.kept().stream().map(s -> s.source().name()).toList());
        assertEquals(Files.size(out), plan.outputBytes());
        try (GgufFile g = GgufFile.open(out)) {
          assertEquals("pt", g.metadata().string("format").orElseThrow());
          for (TensorInfo t : f.tensors()) {
            TensorInfo o = g.require(t.name());
            assertArrayEquals(t.shape(), o.shape());
            byte[] expected;
            if (plan.kept().stream().anyMatch(s -> s.source().equals(t))) {
              expected = Fixtures.bytes(f.data(t));
            } else {
              float[] all = f.view(t).toFloatArray();
              ByteBuffer enc = ByteBuffer.allocate((int) target.byteSize(all.length))
                  .order(ByteOrder.LITTLE_ENDIAN);
              target.codec().encode(all, 0, all.length, enc);
              expected = enc.array();
              assertEquals(target.label(), o.type().label());
            }
            assertArrayEquals(expected, Fixtures.bytes(g.data(o)), t.name());
          }
        }
      }
    }
  }

  @Test
  void planReadsOnlyTheIndex() throws Exception {
    try (TensorFile f = TensorFiles.open(safetensors())) {
      TensorQuantizer.Plan plan = TensorQuantizer.plan(f, QuantType.Q8_0);
      assertEquals(0, f.mappedBytes());
      assertTrue(plan.peakMemoryBytes() > 0);
      assertEquals(3, plan.kept().size());
    }
  }
}
