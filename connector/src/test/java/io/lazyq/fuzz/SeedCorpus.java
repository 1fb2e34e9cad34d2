package io.lazyq.fuzz;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.Field;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.SampleTables;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.gguf.GgufFile;
import io.lazyq.gguf.GgufWriter;
import io.lazyq.quant.ErrorBoundedCodec;
import io.lazyq.quant.QuantType;
import io.lazyq.safetensors.SafetensorsWriter;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.Fixtures;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.PlainType;
import io.lazyq.tensor.TensorSpec;
import io.lazyq.tensor.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the fuzz targets' seed corpora: small valid files of every kind the readers take, so that
 * the fuzzer starts from deep inside each format. Seeds are kept small (a few KB): mutation speed
 * falls with input size.
 *
 * <pre>
 *   java -cp ... io.lazyq.fuzz.SeedCorpus connector/src/test/resources arrow-bridge/src/test/resources
 * </pre>
 */
public final class SeedCorpus {
  private SeedCorpus() {}

  public static void main(String[] args) throws IOException {
    Path connector = Path.of(args[0]).resolve("io/lazyq/fuzz");
    Map<String, byte[]> lzq = lzqSeeds();
    write(connector.resolve("LzqFuzzTestInputs/mapped"), lzq);
    write(connector.resolve("LzqFuzzTestInputs/stream"), lzq);
    write(connector.resolve("TensorFuzzTestInputs/gguf"), ggufSeeds());
    write(connector.resolve("TensorFuzzTestInputs/safetensors"), safetensorsSeeds());
    write(connector.resolve("BlockCodecFuzzTestInputs/decode"), codecSeeds());
    if (args.length > 1) {
      Path arrow = Path.of(args[1]).resolve("io/lazyq/arrow");
      write(arrow.resolve("ArrowReaderFuzzTestInputs/mapped"), lzq);
      write(arrow.resolve("ArrowReaderFuzzTestInputs/stream"), lzq);
    }
  }

  private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
      Files.write(dir.resolve("seed-" + e.getKey()), e.getValue());
    }
  }

  /** Tables of every column type and every block type, in one chunk and in several. */
  static Map<String, byte[]> lzqSeeds() throws IOException {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    Path tmp = Files.createTempFile("seed", ".lzq");
    try {
      SampleTables.write(tmp, SampleTables.allTypes(), SampleTables.allTypesRows(12, 1), 8);
      seeds.put("all-types", Files.readAllBytes(tmp));
      SampleTables.write(tmp, SampleTables.allTypes(), List.of());
      seeds.put("empty", Files.readAllBytes(tmp));
      SampleTables.write(tmp, Schema.of(Field.of("id", ColumnType.INT32)), List.of(new Object[] {1}, new Object[] {2}));
      seeds.put("one-int-column", Files.readAllBytes(tmp));
      List<Field> quantized = new ArrayList<>();
      for (QuantType q : new QuantType[] {QuantType.Q8_0, QuantType.Q4_0, QuantType.Q4_1, QuantType.AFFINE8,
          QuantType.AFFINE4}) {
        quantized.add(Field.of(q.label(), ColumnType.FLOAT32).withEncoding(ColumnEncoding.quantized(q)));
      }
      quantized.add(Field.of("eb", ColumnType.FLOAT32).withEncoding(ColumnEncoding.errorBounded(1e-3)));
      quantized.add(Field.of("window", ColumnType.listOf(ColumnType.FLOAT32))
          .withEncoding(ColumnEncoding.quantized(QuantType.Q8_0)));
      Schema q = Schema.of(quantized.toArray(new Field[0]));
      try (LzqWriter w = LzqWriter.create(tmp, q, WriterOptions.DEFAULTS.withChunkRows(70))) {
        Random r = new Random(2);
        for (int row = 0; row < 100; row++) {
          for (int c = 0; c < 6; c++) {
            w.setFloat(c, row % 10 == 0 ? 1013.25f : (float) r.nextGaussian());
          }
          w.setObject(6, new float[] {row, -row, 0.5f});
          w.endRow();
        }
        w.commit();
      }
      seeds.put("quantized", Files.readAllBytes(tmp));
      seeds.put("derived", derived(tmp));
    } finally {
      Files.deleteIfExists(tmp);
    }
    return seeds;
  }

  /**
   * A chunk of the fewest rows a writer derives columns in (4,096): {@code h} a lookup from
   * {@code city} and {@code t} with a few rows that differ, {@code sum} the running sum of {@code p}.
   */
  static byte[] derived(Path tmp) throws IOException {
    Schema schema = EncodingSpec.NONE.withLossless("smallest").applyTo(Schema.of(
        Field.of("city", ColumnType.UTF8), Field.of("t", ColumnType.FLOAT32), Field.of("h", ColumnType.FLOAT32),
        Field.of("p", ColumnType.FLOAT32), Field.of("sum", ColumnType.FLOAT32)));
    try (LzqWriter w = LzqWriter.create(tmp, schema, WriterOptions.DEFAULTS)) {
      float sum = 0;
      for (int row = 0; row < 4096; row++) {
        int t = row / 7 % 40;
        float p = row % 5 == 0 ? row % 3 : 0;
        sum = p == 0 ? 0 : sum + p;
        w.setObject(0, row < 2048 ? "north" : "south");
        w.setFloat(1, t);
        w.setFloat(2, row % 97 == 0 ? -1 : t * 2.5f + (row < 2048 ? 0 : 1));
        w.setFloat(3, p);
        w.setFloat(4, sum);
        w.endRow();
      }
      w.commit();
    }
    return Files.readAllBytes(tmp);
  }

  /** A GGUF file per ggml type, of one small tensor and metadata of every value type; and a fixture. */
  static Map<String, byte[]> ggufSeeds() throws IOException {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    Map<String, MetadataValue> kv = new LinkedHashMap<>();
    kv.put("general.name", MetadataValue.string("seed"));
    kv.put(GgufFile.ALIGNMENT_KEY, MetadataValue.uint32(32));
    kv.put("u8", MetadataValue.integer(ValueType.UINT8, 7));
    kv.put("i64", MetadataValue.integer(ValueType.INT64, -7));
    kv.put("f32", MetadataValue.float32(0.5f));
    kv.put("f64", MetadataValue.float64(0.25));
    kv.put("flag", MetadataValue.bool(true));
    kv.put("ints", MetadataValue.array(ValueType.INT32, new int[] {1, 2, 3}));
    kv.put("words", MetadataValue.array(ValueType.STRING, new String[] {"a", "bc"}));
    Metadata metadata = Metadata.of(kv);
    Random r = new Random(3);
    Path tmp = Files.createTempFile("seed", ".gguf");
    try {
      for (QuantType q : QuantType.values()) {
        if (!q.isGgml()) {
          continue;
        }
        ElementType type = ElementType.of(q);
        List<TensorSpec> specs = List.of(new TensorSpec("t", type, new long[] {2, q.blockSize()}),
            new TensorSpec("s", type, new long[] {q.blockSize()}));
        try (GgufWriter w = GgufWriter.create(tmp, metadata, specs)) {
          for (TensorSpec s : specs) {
            w.writeTensor(s.name(), randomBlocks(q, s.byteSize(), r));
          }
          w.commit();
        }
        seeds.put(q.label(), Files.readAllBytes(tmp));
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    seeds.put("fixture-q2_K", Files.readAllBytes(Fixtures.ggml().resolve("q2_K.gguf")));
    return seeds;
  }

  /** Blocks of random bytes whose fp16 scales are finite, so that they decode to numbers. */
  private static ByteBuffer randomBlocks(QuantType q, long bytes, Random r) {
    byte[] b = new byte[(int) bytes];
    r.nextBytes(b);
    for (int i = 1; i < b.length; i += 2) {
      b[i] &= 0x3B;
    }
    return ByteBuffer.wrap(b);
  }

  /** A Safetensors file of every dtype, with metadata; and an empty one. */
  static Map<String, byte[]> safetensorsSeeds() throws IOException {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    List<ElementType> dtypes = List.of(ElementType.of(QuantType.F32), ElementType.of(QuantType.F16),
        ElementType.of(QuantType.BF16), ElementType.of(PlainType.F64), ElementType.of(PlainType.I8),
        ElementType.of(PlainType.U8), ElementType.of(PlainType.I16), ElementType.of(PlainType.I32),
        ElementType.of(PlainType.I64), ElementType.of(PlainType.BOOL));
    List<TensorSpec> specs = new ArrayList<>();
    for (ElementType t : dtypes) {
      specs.add(new TensorSpec("t." + t.label(), t, new long[] {2, 3}));
    }
    specs.add(new TensorSpec("scalar", ElementType.of(QuantType.F32), new long[0]));
    Path tmp = Files.createTempFile("seed", ".safetensors");
    try {
      Metadata md = Metadata.of(Map.of("format", MetadataValue.string("pt")));
      try (SafetensorsWriter w = SafetensorsWriter.create(tmp, md, specs)) {
        for (TensorSpec s : specs) {
          byte[] b = new byte[(int) s.byteSize()];
          w.writeTensor(s.name(), ByteBuffer.wrap(b));
        }
        w.commit();
      }
      seeds.put("every-dtype", Files.readAllBytes(tmp));
      try (SafetensorsWriter w = SafetensorsWriter.create(tmp, Metadata.empty(), List.of())) {
        // no tensors: the header alone
        w.commit();
      }
      seeds.put("empty", Files.readAllBytes(tmp));
    } finally {
      Files.deleteIfExists(tmp);
    }
    return seeds;
  }

  /** For each block type, two and a half blocks of encoded values, in heap and direct framing. */
  static Map<String, byte[]> codecSeeds() throws IOException {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    QuantType[] types = QuantType.values();
    Random r = new Random(4);
    for (int t = 0; t < types.length; t++) {
      QuantType q = types[t];
      int n = q.blockSize() * 5 / 2 + (q.blockSize() == 1 ? 3 : 0);
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = i % 50 == 0 ? 1013.25f : (float) r.nextGaussian();
      }
      ByteBuffer region;
      if (q == QuantType.ERROR_BOUNDED) {
        ErrorBoundedCodec codec = ErrorBoundedCodec.withBound(1e-2);
        region = ByteBuffer.allocate((int) codec.maxEncodedBytes(n)).order(ByteOrder.LITTLE_ENDIAN);
        codec.encode(values, 0, n, region);
      } else if (q.codec().canEncode()) {
        region = ByteBuffer.allocate((int) q.byteSize(n)).order(ByteOrder.LITTLE_ENDIAN);
        q.codec().encode(values, 0, n, region);
      } else {
        region = randomBlocks(q, q.byteSize(n), r).position((int) q.byteSize(n));
      }
      region.flip();
      for (int mode : new int[] {2, 3}) {
        ByteBuffer seed = ByteBuffer.allocate(6 + region.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        seed.put((byte) t).put((byte) mode).putInt(n).put(region.duplicate());
        seeds.put(q.label() + (mode == 3 ? "-direct" : ""), seed.array());
      }
    }
    return seeds;
  }
}
