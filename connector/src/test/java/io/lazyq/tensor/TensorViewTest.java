package io.lazyq.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lazyq.tensorfiles.TensorFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TensorViewTest {

  private static float[] floats(java.nio.file.Path p) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    float[] f = new float[b.remaining() / 4];
    b.asFloatBuffer().get(f);
    return f;
  }

  @Test
  void listingMapsNothing() throws Exception {
    try (TensorFile f = TensorFiles.open(Fixtures.ggml().resolve("mixed.gguf"))) {
      assertEquals(13, f.tensors().size());
      f.tensors().forEach(t -> t.shape());
      assertEquals(0, f.mappedBytes());
      assertEquals(Set.of(), f.mappedTensors());
    }
  }

  /** A slice decodes only its rows, equal to ggml's own dequantization of them. */
  @Test
  void sliceDecodesOnlyItsRows() throws Exception {
    for (String type : new String[] {"f32", "f16", "bf16", "q8_0", "q4_0", "q6_K"}) {
      try (TensorFile f = TensorFiles.open(Fixtures.ggml().resolve(type + ".gguf"))) {
        TensorInfo t = f.require("blk.0.mixed.weight");
        float[] all = floats(Fixtures.ggml().resolve(type).resolve(t.name() + ".deq.f32"));
        TensorView rows = f.view(t).slice(5, 8);
        assertEquals(0, f.mappedBytes(), "slicing maps nothing");
        float[] got = new float[3 * 256];
        Arrays.fill(got, Float.NaN);
        rows.readRows(0, 3, got, 0);
        assertArrayEquals(Arrays.copyOfRange(all, 5 * 256, 8 * 256), got, type);
        assertEquals(Set.of(t.name()), f.mappedTensors(), "only this tensor is mapped");
        assertEquals(t.byteSize(), f.mappedBytes());
      }
    }
  }
}
