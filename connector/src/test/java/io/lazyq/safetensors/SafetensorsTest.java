package io.lazyq.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import io.lazyq.quant.QuantType;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.Fixtures;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.PlainType;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorFormat;
import io.lazyq.tensor.TensorInfo;
import io.lazyq.tensor.TensorSpec;
import io.lazyq.tensorfiles.TensorFiles;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static final List<ElementType> DTYPES = List.of(ElementType.of(QuantType.F32),
      ElementType.of(QuantType.F16), ElementType.of(QuantType.BF16), ElementType.of(PlainType.F64),
      ElementType.of(PlainType.I8), ElementType.of(PlainType.U8), ElementType.of(PlainType.I16),
      ElementType.of(PlainType.I32), ElementType.of(PlainType.I64),
      ElementType.of(PlainType.BOOL));

  @Test
  void roundTripOfEveryDtype() throws Exception {
    List<TensorSpec> specs = new ArrayList<>();
    List<byte[]> data = new ArrayList<>();
    Random r = new Random(7);
    for (ElementType t : DTYPES) {
      TensorSpec s = new TensorSpec("t." + t.label(), t, new long[] {3, 5});
      byte[] b = new byte[(int) s.byteSize()];
      r.nextBytes(b);
      if (t == ElementType.of(PlainType.BOOL)) {
        for (int i = 0; i < b.length; i++) b[i] = (byte) (b[i] & 1);
      }
      specs.add(s);
      data.add(b);
    }
    specs.add(new TensorSpec("scalar", ElementType.of(QuantType.F32), new long[0]));
    data.add(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).array());
    specs.add(new TensorSpec("empty", ElementType.of(QuantType.F32), new long[] {0, 4}));
    data.add(new byte[0]);
    Metadata md = Metadata.of(Map.of("format", MetadataValue.string("pt")));
    Path p = dir.resolve("all.bin");
    try (SafetensorsWriter w = SafetensorsWriter.create(p, md, specs)) {
      for (int i = 0; i < specs.size(); i++) {
        w.writeTensor(specs.get(i).name(), ByteBuffer.wrap(data.get(i)));
      }
      w.commit();
    }
    try (TensorFile f = TensorFiles.open(p)) {
      assertEquals(TensorFormat.SAFETENSORS, f.format());
      assertEquals(md, f.metadata());
      assertEquals(0, f.tensors().get(0).dataOffset() % 8, "data starts 8-byte aligned");
      for (int i = 0; i < specs.size(); i++) {
        TensorInfo t = f.require(specs.get(i).name());
        assertEquals(specs.get(i), t.spec());
        assertArrayEquals(data.get(i), Fixtures.bytes(f.data(t)), t.name());
      }
      assertEquals(2.5f, f.view(f.require("scalar")).toFloatArray()[0]);
      // Plain dtypes read as float, converted.
      TensorInfo i16 = f.require("t.i16");
      float[] v = f.view(i16).toFloatArray();
      assertEquals(f.data(i16).getShort(2), (short) v[1]);
    }
  }

  private Path file(String json, int dataBytes) throws Exception {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path p = dir.resolve("hostile.safetensors");
    Files.write(p, b.array());
    return p;
  }

  private void refused(Path p, String problem) {
    LazyQFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(LazyQFormatException.class, () -> TensorFiles.open(p).close()));
    assertEquals(p.toString(), e.source());
    assertTrue(e.offset() >= 0, e.getMessage());
    assertTrue(e.problem().contains(problem), e.getMessage());
  }

  private static String t(String name, String dtype, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
        + ",\"data_offsets\":[" + begin + "," + end + "]}";
  }

  /** UTF-16 and UTF-32 headers: the JSON parser would guess their encoding and fail in its own way. */
  @Test
  void headerNotInUtf8() throws Exception {
    for (String charset : new String[] {"UTF-32LE", "UTF-16BE", "UTF-16LE"}) {
      byte[] h = "{}".getBytes(charset);
      Path p = dir.resolve("utf.safetensors");
      Files.write(p, ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array());
      LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> SafetensorsFile.open(p), charset);
      assertTrue(e.problem().contains("is not UTF-8 JSON"), e.getMessage());
    }
  }

  @Test
  void hostileHeaders() throws Exception {
    Path p = dir.resolve("long.safetensors");
    Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000)
        .put("{}      ".getBytes(StandardCharsets.US_ASCII)).array());
    LazyQFormatException e = assertThrows(LazyQFormatException.class,
        () -> SafetensorsFile.open(p));
    assertTrue(e.problem().contains("exceeds the 8 bytes"), e.getMessage());

    refused(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12),
        "overlap");
    refused(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 16, 24) + "}", 24),
        "a hole");
    refused(file("{" + t("a", "F32", "[2]", -8, 0) + "}", 8), "non-negative");
    refused(file("{" + t("a", "F32", "[1048576,1048576]", 0, 8) + "}", 8), "do not hold");
    refused(file("{" + t("a", "F32", "[2]", 0, 8) + "}", 16), "covers 8 bytes, but 16");
    refused(file("{" + t("a", "F32", "[4294967296,4294967296]", 0, 8) + "}", 8), "overflow");
    refused(file("{" + t("a", "F8_E4M3", "[2]", 0, 2) + "}", 2),
        "unsupported dtype F8_E4M3 for tensor 'a'");
    refused(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("a", "F32", "[2]", 8, 16) + "}", 16),
        "malformed header JSON");
    refused(file("{\"__metadata__\":{\"k\":1}}", 0), "expected");
  }

  /**
   * 99,999,999 bytes of '[' fail at once, without reading (or holding) the rest: the structure
   * check refuses the first bracket where an object belongs, and the parser's nesting limit backs
   * it up.
   */
  @Test
  void deeplyNestedHeader() throws Exception {
    int n = 99_999_999;
    Path p = dir.resolve("nested.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      ByteBuffer len = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).putLong(n)
          .put((byte) '{');
      f.write(len.array());
      f.write("\"a\":".getBytes(StandardCharsets.US_ASCII));
      byte[] brackets = new byte[1 << 20];
      java.util.Arrays.fill(brackets, (byte) '[');
      for (long left = n - 5; left > 0; left -= brackets.length) {
        f.write(brackets, 0, (int) Math.min(left, brackets.length));
      }
    }
    refused(p, "tensor 'a': expected {, found [");
  }
}
