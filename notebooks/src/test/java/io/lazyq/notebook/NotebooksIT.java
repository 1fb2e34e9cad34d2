package io.lazyq.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazyq.format.ColumnView;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.sample.SensorDay;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensorfiles.TensorFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every notebook with the real Jupyter and the kernel built into target/, fails on any
 * cell error, and checks numbers the notebooks print against the library's own results. The
 * executed notebooks, plots included, stay in target/executed.
 */
class NotebooksIT {
  private static final Path DIR = Path.of(System.getProperty("notebooks.dir", "."));
  private static final String JAVA_KERNEL = "lazyq-java";
  private static Jupyter jupyter;

  @TempDir
  Path tmp;

  @BeforeAll
  static void findJupyter() {
    Optional<String> missing = Jupyter.unavailable();
    if (missing.isPresent()) {
      System.out.println("notebooks: SKIPPED, " + missing.get());
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> missing.get());
    Map<String, String> env = new HashMap<>();
    Path fixtures = Path.of(System.getProperty("lazyq.fixtures", "../../shared/fixtures"), "ggml");
    if (Files.isDirectory(fixtures)) {
      env.put("LAZYQ_FIXTURES", fixtures.toAbsolutePath().normalize().toString());
    }
    jupyter = new Jupyter(Path.of(System.getProperty("notebooks.jupyterPath", "target/jupyter")),
        Path.of(System.getProperty("notebooks.output", "target/executed")), env);
  }

  @Test
  void everyNotebookIsExecutedHereAndCommittedWithoutOutputs() throws IOException {
    Set<String> found;
    try (Stream<Path> files = Files.list(DIR)) {
      found = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(new TreeSet<>(List.of("arrow-export.ipynb", "model-weights.ipynb", "sensor-analysis.ipynb",
        "sensor-analysis-pyspark.ipynb")), found, "a new notebook needs a test here");
    for (String name : found) {
      JsonNode nb = new ObjectMapper().readTree(DIR.resolve(name).toFile());
      for (JsonNode cell : nb.path("cells")) {
        if (cell.path("cell_type").asText().equals("code")) {
          assertTrue(cell.path("outputs").isEmpty() && cell.path("execution_count").isNull(),
              name + ": commit notebooks without outputs (Edit > Clear All Outputs)");
        }
      }
    }
  }

  @Test
  void arrowExport() throws Exception {
    ExecutedNotebook nb = run("arrow-export.ipynb", JAVA_KERNEL, 1);
    // The notebook's file: SensorDay(1,000,000 rows, 16 sensors, seed 7), temperature as Q8_0.
    Path file = sensors(new SensorDay(1_000_000, 16, 7), EncodingSpec.parse("temperature=q8_0", null));
    double sum = 0;
    try (LzqFile lzq = LzqFile.open(file)) {
      for (float v : floats(lzq, "temperature")) {
        sum += v;
      }
      assertEquals(lzq.rowCount(), nb.number("C Data: \\d+ batches, rows=(\\d+)"));
    }
    assertEquals(sum, nb.number("temperature sum=([-\\d.]+)"), 5e-7, "sum over the C Data stream");
    assertEquals(0, nb.number("after release: producer (\\d+) bytes"));
    assertEquals(0, nb.number("consumer (\\d+) bytes outstanding"));
  }

  @Test
  void sensorAnalysis() throws Exception {
    assumeSparkSource("sensor-analysis.ipynb");
    ExecutedNotebook nb = run("sensor-analysis.ipynb", JAVA_KERNEL, 3);
    SensorDay day = new SensorDay(SENSOR_ROWS, 16, 1);
    Path file = sensors(day, EncodingSpec.parse(null, SENSOR_BOUNDS));
    assertEquals(Files.size(file), nb.number("lazyq file: ([\\d,]+) bytes"), "the notebook's file size");
    try (LzqFile lzq = LzqFile.open(file)) {
      float[] temperature = floats(lzq, "temperature");
      double max = 0;
      for (int r = 0; r < temperature.length; r++) {
        max = Math.max(max, Math.abs((double) temperature[r] - day.temperature(r)));
      }
      assertTrue(max <= 0.01);
      assertEquals(max, nb.number("max error temperature: ([\\d.eE-]+)"), 1e-9, "max quantization error");
    }
  }

  @Test
  void modelWeights() throws Exception {
    assumeSparkSource("model-weights.ipynb");
    ExecutedNotebook nb = run("model-weights.ipynb", JAVA_KERNEL, 3);
    Path fixtures = Path.of(jupyterEnvFixtures().orElse(DIR.resolve("target/notebook-data/gguf").toString()));
    String tensor = "blk.0.attn_q.weight";
    for (String type : List.of("q8_0", "q4_0")) {
      try (TensorFile f32 = TensorFiles.open(fixtures.resolve("f32.gguf"));
          TensorFile q = TensorFiles.open(fixtures.resolve(type + ".gguf"))) {
        float[] exact = f32.view(f32.require(tensor)).toFloatArray();
        float[] approx = q.view(q.require(tensor)).toFloatArray();
        double max = 0;
        for (int i = 0; i < exact.length; i++) {
          max = Math.max(max, Math.abs((double) exact[i] - approx[i]));
        }
        assertEquals(max, nb.number(type.toUpperCase() + " max error " + tensor.replace(".", "\\.") + ": ([\\d.eE-]+)"),
            1e-7, type + " against F32");
      }
    }
  }

  @Test
  void sensorAnalysisPySpark() throws Exception {
    assumeSparkSource("sensor-analysis-pyspark.ipynb");
    Optional<String> missing = jupyter.pysparkUnavailable();
    if (missing.isPresent()) {
      System.out.println("notebook sensor-analysis-pyspark.ipynb: SKIPPED, " + missing.get());
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> missing.get());
    ExecutedNotebook nb = run("sensor-analysis-pyspark.ipynb", "python3", 2);
    assertEquals(Files.size(sensors(new SensorDay(SENSOR_ROWS, 16, 1), EncodingSpec.parse(null, SENSOR_BOUNDS))),
        nb.number("lazyq file: ([\\d,]+) bytes"));
  }

  /** The sensor-analysis notebooks' day and error bounds. */
  private static final long SENSOR_ROWS = 1_000_000;
  private static final String SENSOR_BOUNDS = "temperature=0.01,pressure=0.001,vibration=0.01";

  private ExecutedNotebook run(String name, String kernel, int minImages) throws Exception {
    ExecutedNotebook nb = jupyter.execute(DIR.resolve(name), kernel);
    System.out.println(nb.summary());
    assertEquals(0, nb.errors(), nb.name() + " has error outputs");
    assertTrue(nb.images() >= minImages, nb.name() + ": expected at least " + minImages + " plots, got " + nb.images());
    return nb;
  }

  /**
   * Skips a Spark notebook, saying so, where the build has no {@code lazyq} data source at all (a
   * checkout from before it existed). Once its class is there, the notebook must run.
   */
  private static void assumeSparkSource(String notebook) {
    boolean present;
    try {
      Class.forName("io.lazyq.spark.LazyQSource");
      present = true;
    } catch (ClassNotFoundException e) {
      present = false;
    }
    if (!present) {
      System.out.println("notebook " + notebook + ": SKIPPED, this build has no Spark data source (io.lazyq.spark.LazyQSource)");
    }
    Assumptions.assumeTrue(present, "no io.lazyq.spark.LazyQSource in this build");
  }

  private static Optional<String> jupyterEnvFixtures() {
    Path fixtures = Path.of(System.getProperty("lazyq.fixtures", "../../shared/fixtures"), "ggml");
    return Files.isDirectory(fixtures) ? Optional.of(fixtures.toString()) : Optional.empty();
  }

  private Path sensors(SensorDay day, EncodingSpec spec) throws IOException {
    Path file = Files.createTempFile(tmp, "sensors", ".lzq");
    Schema schema = spec.applyTo(SensorDay.schema());
    try (LzqWriter w = LzqWriter.create(file, schema, WriterOptions.DEFAULTS)) {
      day.write(w, rows -> {});
      w.commit();
    }
    return file;
  }

  private static float[] floats(LzqFile lzq, String column) throws Exception {
    int c = lzq.schema().indexOf(column);
    float[] out = new float[Math.toIntExact(lzq.rowCount())];
    int at = 0;
    for (int chunk = 0; chunk < lzq.index().size(); chunk++) {
      try (ColumnView view = lzq.column(chunk, c)) {
        view.readFloats(0, view.rows(), out, at);
        at += view.rows();
      }
    }
    return out;
  }
}
