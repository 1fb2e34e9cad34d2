package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.Test;

class LazyQOptionsTest extends SparkTestBase {
  static final CaseInsensitiveStringMap NO_SESSION = CaseInsensitiveStringMap.empty();

  @Test
  void everyOptionHasItsDefault() {
    LazyQReadConf read = LazyQReadConf.parse(Map.of("path", "/data"), NO_SESSION);
    assertEquals(List.of("/data"), read.paths());
    assertEquals(4096, read.batchRows());
    assertTrue(read.dequantize());
    assertFalse(read.stream());
    assertEquals(0, read.prefetch());
    assertFalse(read.prefetchDequantize());
    assertEquals(0, read.maxChunksPerTrigger());
    assertEquals(0, read.maxBytesPerTrigger());
    assertEquals(LazyQReadConf.TensorView.TENSORS, read.view());
    LazyQWriteConf write = LazyQWriteConf.parse(Map.of("path", "/out"), NO_SESSION);
    assertEquals("/out", write.path());
    assertEquals(1 << 20, write.chunkRows());
    for (LazyQOption<?> o : LazyQOptions.read()) {
      assertEquals(o.defaultValue(), read.get(o), o.name());
    }
    for (LazyQOption<?> o : LazyQOptions.write()) {
      assertEquals(o.defaultValue(), write.get(o), o.name());
    }
  }

  @Test
  void numbersTakeTheirBoundsAndNothingBeyond() {
    assertEquals(8, LazyQOptions.BATCH_ROWS.parse("8"));
    assertEquals(Integer.MAX_VALUE - 7, LazyQOptions.BATCH_ROWS.parse(String.valueOf(Integer.MAX_VALUE - 7)));
    assertInvalid(LazyQOptions.BATCH_ROWS, "0", "-8", "12", String.valueOf(Integer.MAX_VALUE));
    assertEquals(0, LazyQOptions.PREFETCH.parse("0"));
    assertEquals(64, LazyQOptions.PREFETCH.parse("64"));
    assertInvalid(LazyQOptions.PREFETCH, "-1", "65");
    assertEquals(1, LazyQOptions.MAX_CHUNKS_PER_TRIGGER.parse("1"));
    assertEquals(Integer.MAX_VALUE, LazyQOptions.MAX_CHUNKS_PER_TRIGGER.parse(String.valueOf(Integer.MAX_VALUE)));
    assertInvalid(LazyQOptions.MAX_CHUNKS_PER_TRIGGER, "0", "-1", "2147483648");
    assertEquals(1L, LazyQOptions.MAX_BYTES_PER_TRIGGER.parse("1"));
    assertEquals(8L << 40, LazyQOptions.MAX_BYTES_PER_TRIGGER.parse("8t"));
    assertInvalid(LazyQOptions.MAX_BYTES_PER_TRIGGER, "0", "-1", "0k");
    assertEquals(1, LazyQOptions.CHUNK_ROWS.parse("1"));
    assertInvalid(LazyQOptions.CHUNK_ROWS, "0", "-1");
  }

  static void assertInvalid(LazyQOption<?> option, String... values) {
    for (String v : values) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> option.parse(v), v);
      assertEquals("invalid value '" + v + "' for lazyq option " + option.name() + "; valid: " + option.valid(),
          e.getMessage());
    }
  }

  @Test
  void keysMatchInAnyCase() {
    for (String key : List.of("batchRows", "batchrows", "BATCHROWS", "option.BatchRows", "OPTION.batchRows")) {
      assertEquals(256, LazyQReadConf.parse(Map.of(key, "256"), NO_SESSION).batchRows(), key);
    }
    assertEquals(10, LazyQWriteConf.parse(Map.of("CHUNKROWS", "10"), NO_SESSION).chunkRows());
    assertEquals("v=q8_0", LazyQWriteConf.parse(Map.of("Quantize", "v=q8_0"), NO_SESSION).get(LazyQOptions.QUANTIZE));
    // one option map serves a table that is both read and written
    assertEquals(4096, LazyQReadConf.parse(Map.of("QUANTIZE", "v=q8_0"), NO_SESSION).batchRows());
    assertEquals(10, LazyQWriteConf.parse(Map.of("prefetch", "2", "chunkRows", "10"), NO_SESSION).chunkRows());
  }

  @Test
  void anUnknownKeyFailsWithEveryValidOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LazyQWriteConf.parse(Map.of("batchSize", "10"), NO_SESSION));
    assertTrue(e.getMessage().startsWith("unknown lazyq option 'batchSize'; valid read options: "), e.getMessage());
    for (LazyQOption<?> o : LazyQOptions.ALL) {
      assertTrue(e.getMessage().contains(o.name() + " (" + o.valid() + ", default " + o.defaultText() + ")"),
          o.name() + ": " + e.getMessage());
    }
  }

  @Test
  void anOptionWinsOverTheSessionWhichWinsOverTheDefault() throws Exception {
    assertEquals(4096, LazyQReadConf.parse(Map.of()).batchRows());
    assertEquals(1 << 20, LazyQWriteConf.parse(Map.of()).chunkRows());
    withSession(Map.of("spark.sql.lazyq.batchRows", "256", "spark.sql.lazyq.chunkRows", "1000"), () -> {
      assertEquals(256, LazyQReadConf.parse(Map.of()).batchRows());
      assertEquals(512, LazyQReadConf.parse(Map.of("batchRows", "512")).batchRows());
      assertEquals(1000, LazyQWriteConf.parse(Map.of()).chunkRows());
      assertEquals(10, LazyQWriteConf.parse(Map.of("ChunkRows", "10")).chunkRows());
    });
    assertEquals(4096, LazyQReadConf.parse(Map.of()).batchRows());
  }

  @Test
  void sessionKeysMatchInAnyCaseAndAreChecked() throws Exception {
    withSession(Map.of("spark.sql.lazyq.BATCHROWS", "64"),
        () -> assertEquals(64, LazyQReadConf.parse(Map.of()).batchRows()));
    withSession(Map.of("spark.sql.lazyq.batchRows", "10"), () -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LazyQReadConf.parse(Map.of()));
      assertTrue(e.getMessage().contains("invalid value '10' for spark.sql.lazyq.batchRows"), e.getMessage());
      // only the value that wins is parsed
      assertEquals(16, LazyQReadConf.parse(Map.of("batchRows", "16")).batchRows());
    });
    withSession(Map.of("spark.sql.lazyq.batchSize", "64"), () -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LazyQReadConf.parse(Map.of()));
      assertTrue(e.getMessage().startsWith("unknown lazyq option 'spark.sql.lazyq.batchSize'"), e.getMessage());
    });
  }

  @Test
  void theSessionDecidesWhatAReadDoesNotSay() throws Exception {
    Path file = new SensorTable(1000, 7).write(dir.resolve("session-read.lzq"), 500);
    withSession(Map.of("spark.sql.lazyq.dequantize", "false"), () -> {
      assertEquals(DataTypes.BinaryType, lazyq(file).schema().apply("vib").dataType());
      assertEquals(DataTypes.FloatType, lazyq(file, "dequantize", "true").schema().apply("vib").dataType());
    });
    assertEquals(DataTypes.FloatType, lazyq(file).schema().apply("vib").dataType());
  }

  @Test
  void theSessionDecidesWhatAWriteDoesNotSay() throws Exception {
    Dataset<Row> df = spark.range(1000).selectExpr("id", "CAST(sin(id) AS FLOAT) AS value");
    Path bySession = dir.resolve("by-session");
    Path byOption = dir.resolve("by-option");
    Path byDefault = dir.resolve("by-default");
    withSession(Map.of("spark.sql.lazyq.quantize", "value=q8_0"), () -> {
      df.write().format("lazyq").save(bySession.toString());
      df.write().format("lazyq").option("quantize", "value=q4_0").save(byOption.toString());
    });
    df.write().format("lazyq").save(byDefault.toString());
    assertEquals("q8_0", quantType(bySession));
    assertEquals("q4_0", quantType(byOption));
    assertEquals("none", quantType(byDefault));
  }

  static String quantType(Path table) {
    Metadata m = lazyq(table, "dequantize", "false").schema().apply("value").metadata();
    return m.contains(SparkSchemas.QUANT) ? m.getString(SparkSchemas.QUANT) : "none";
  }

  @Test
  void scanOptionsOverrideAllButThoseThatShapeTheSchema() {
    LazyQReadConf table = LazyQReadConf.parse(Map.of("dequantize", "false", "batchRows", "64"), NO_SESSION);
    LazyQReadConf scan = table.merge(Map.of("DEQUANTIZE", "true", "view", "rows", "batchRows", "128",
        "Prefetch", "2"));
    assertFalse(scan.dequantize());
    assertEquals(LazyQReadConf.TensorView.TENSORS, scan.view());
    assertEquals(128, scan.batchRows());
    assertEquals(2, scan.prefetch());
    assertEquals(64, table.batchRows());

    LazyQWriteConf written = LazyQWriteConf.parse(Map.of("option.chunkRows", "100", "quantize", "v=q8_0"), NO_SESSION)
        .merge(Map.of("CHUNKROWS", "200"));
    assertEquals(200, written.chunkRows());
    assertEquals("v=q8_0", written.get(LazyQOptions.QUANTIZE));
  }

  @Test
  void confsCarryTheirValuesToExecutors() throws Exception {
    LazyQReadConf read = LazyQReadConf.parse(Map.of("path", "/data", "batchRows", "64", "view", "rows",
        "maxBytesPerTrigger", "1m"), NO_SESSION);
    LazyQReadConf readCopy = roundTrip(read);
    assertEquals(List.of("/data"), readCopy.paths());
    for (LazyQOption<?> o : LazyQOptions.read()) {
      assertEquals(read.get(o), readCopy.get(o), o.name());
    }
    LazyQWriteConf write = LazyQWriteConf.parse(Map.of("quantize", "value=q4_0", "chunkRows", "10"), NO_SESSION);
    LazyQWriteConf writeCopy = roundTrip(write);
    assertEquals(10, writeCopy.chunkRows());
    Schema schema = writeCopy.fileSchema(new StructType().add("value", DataTypes.FloatType, false));
    assertEquals("q4_0", schema.find("value").orElseThrow().encoding().quant().label());
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void readmeListsEveryOptionWithItsDefault() throws IOException {
    List<String> readme = Files.readAllLines(projectRoot().resolve("README.md"));
    assertEquals(defaults(LazyQOptions.read()), table(readme, "read option"));
    assertEquals(defaults(LazyQOptions.write()), table(readme, "write option"));
  }

  static Map<String, String> defaults(List<LazyQOption<?>> options) {
    Map<String, String> m = new TreeMap<>();
    options.forEach(o -> m.put(o.name(), o.defaultText()));
    return m;
  }

  /** The first two columns of the markdown table whose first header is {@code header}. */
  static Map<String, String> table(List<String> lines, String header) {
    int start = -1;
    for (int i = 0; i < lines.size() && start < 0; i++) {
      if (lines.get(i).replace(" ", "").startsWith("|" + header.replace(" ", "") + "|")) {
        start = i + 2;
      }
    }
    assertTrue(start > 0, "README.md has no table headed '" + header + "'");
    Map<String, String> rows = new TreeMap<>();
    for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|");
      rows.put(cells[1].trim().replace("`", ""), cells[2].trim());
    }
    return rows;
  }

  static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("spark-datasource"))) {
        return p;
      }
    }
    throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
  }

  /** Runs a check with lazyq options set in the session's SQL configuration, then unsets them. */
  static void withSession(Map<String, String> conf, Check check) throws Exception {
    conf.forEach(spark.conf()::set);
    try {
      check.run();
    } finally {
      conf.keySet().forEach(spark.conf()::unset);
    }
  }

  interface Check {
    void run() throws Exception;
  }
}
