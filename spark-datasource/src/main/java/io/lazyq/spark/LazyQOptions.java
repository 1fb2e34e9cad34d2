package io.lazyq.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazyq.format.EncodingSpec;
import io.lazyq.format.WriterOptions;
import io.lazyq.spark.LazyQOption.Scope;
import io.lazyq.table.TableLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import scala.Option;

/**
 * Every option of the {@code lazyq} source, each defined once. An option's value comes from the
 * read's or write's options, else from the session's SQL configuration under
 * {@code spark.sql.lazyq.<option>}, else from its default; keys match in any case. Values are
 * parsed on the driver, once, into {@link OptionValues} that {@link LazyQReadConf} and
 * {@link LazyQWriteConf} carry to the executors.
 */
public final class LazyQOptions {
  /** The prefix under which a session's SQL configuration sets options. */
  public static final String SESSION_PREFIX = "spark.sql.lazyq.";

  /** Filled as the options below are defined, in the order that documentation and messages list them. */
  private static final List<LazyQOption<?>> DEFINED = new ArrayList<>();

  /**
   * A multiple of 8, so that validity bitmaps slice on byte boundaries; a multiple of 256 keeps
   * batches on block boundaries.
   */
  public static final LazyQOption<Integer> BATCH_ROWS = define(
      LazyQOption.positiveMultiple("batchRows", 4096, 8, "Rows per columnar batch.", Scope.READ, Scope.STREAM));

  public static final LazyQOption<Boolean> DEQUANTIZE = define(
      LazyQOption.bool("dequantize", true,
          "False exposes quantized columns as binary raw blocks, with block parameters in the column metadata.",
          Scope.READ, Scope.STREAM)
      .shapingSchema());

  public static final LazyQOption<Boolean> STREAM = define(
      LazyQOption.bool("stream", false,
          "Reads files front to back through a sequential stream, even where they could be mapped.",
          Scope.READ, Scope.STREAM));

  /**
   * Overlaps mapping, checksums and page faults with Spark's work: pays on cold pages, while on warm
   * ones the work it moves is small. More than 64 chunks ahead would hold many chunks' mappings for
   * no further overlap.
   */
  public static final LazyQOption<Integer> PREFETCH = define(
      LazyQOption.integer("prefetch", 0, 0, 64,
          "Chunks each task opens ahead of the one it reads, on a thread of its own; 0 is off.",
          Scope.READ, Scope.STREAM));

  /** Dequantizes into a buffer of the chunk's size; pays where the prefetch thread has a core to itself. */
  public static final LazyQOption<Boolean> PREFETCH_DEQUANTIZE = define(
      LazyQOption.bool("prefetchDequantize", false,
          "With prefetch, also dequantizes the next chunk's quantized columns ahead.",
          Scope.READ, Scope.STREAM));

  /** For a scan that must not pass damage by: no chunk is skipped for filters, a limit or count(*). */
  public static final LazyQOption<Boolean> VERIFY = define(
      LazyQOption.bool("verify", false,
          "Checks each chunk whole (frame, payload and column checksums, structure) before reading it.",
          Scope.READ, Scope.STREAM));

  /**
   * Answers COUNT, MIN, MAX, SUM and AVG in the scan, grouped by columns or not: one row per
   * task, or per key and task, instead of every row (a Q8_0 column's sum: Spark's per-row work was
   * 62% of its CPU; a group-by on a string: Spark's hashing of each row's key was 82%).
   */
  public static final LazyQOption<Boolean> AGGREGATE_PUSHDOWN = define(
      LazyQOption.bool("aggregatePushdown", true,
          "Computes COUNT, MIN, MAX, SUM and AVG without WHERE in the scan, from chunk statistics where they are"
              + " exact, else from the decoded values: one row per task, or with GROUP BY on data or partition"
              + " columns one row per key and task.",
          Scope.READ));

  /** 0: no limit. */
  public static final LazyQOption<Integer> MAX_CHUNKS_PER_TRIGGER = define(
      LazyQOption.integer("maxChunksPerTrigger", 0, 1, Integer.MAX_VALUE,
          "The most chunks one micro-batch reads.", Scope.STREAM)
      .defaultShownAs("no limit"));

  /** 0: no limit. */
  public static final LazyQOption<Long> MAX_BYTES_PER_TRIGGER = define(
      LazyQOption.size("maxBytesPerTrigger", 0,
          "The most bytes of chunk frames one micro-batch reads; a micro-batch takes at least one chunk.",
          Scope.STREAM)
      .defaultShownAs("no limit"));

  /**
   * As Delta's option of the same name: an overwrite removes rows that a stream may have handed on,
   * so by default the stream stops there rather than go on as if they were still there.
   */
  public static final LazyQOption<Boolean> SKIP_CHANGE_COMMITS = define(
      LazyQOption.bool("skipChangeCommits", false,
          "In a stream of a table with a log, passes over versions that remove or replace files (overwrites),"
              + " their added rows too, instead of failing.",
          Scope.STREAM));

  public static final LazyQOption<LazyQReadConf.TensorView> VIEW = define(
      LazyQOption.choice("view", LazyQReadConf.TensorView.TENSORS,
          "How a GGUF or Safetensors file becomes a table.", Scope.READ)
      .shapingSchema());

  /** An older version may have other columns, so the version decides the schema. */
  public static final LazyQOption<Long> VERSION_AS_OF = define(
      LazyQOption.version("versionAsOf",
          "Reads a table directory as of this version of its log.", Scope.READ)
      .shapingSchema());

  /** Resolved to a version when the table is, so that every scan of it reads that version. */
  public static final LazyQOption<Long> TIMESTAMP_AS_OF = define(
      LazyQOption.instant("timestampAsOf",
          "Reads a table directory as of the latest version committed at or before this time.", Scope.READ)
      .shapingSchema());

  /** Checked, together with {@link #ERROR_BOUND} and {@link #LOSSLESS}, as an {@link EncodingSpec}. */
  public static final LazyQOption<String> QUANTIZE = define(
      LazyQOption.text("quantize", "col=TYPE,...; TYPE one of " + EncodingSpec.encoderLabels(),
          "Quantized float columns and their types.", Scope.WRITE));

  public static final LazyQOption<String> ERROR_BOUND = define(
      LazyQOption.text("errorBound", "col=BOUND,...",
          "Error-bounded float columns, every value within the bound of its input.", Scope.WRITE));

  public static final LazyQOption<Integer> CHUNK_ROWS = define(
      LazyQOption.integer("chunkRows", WriterOptions.DEFAULT_CHUNK_ROWS, 1, Integer.MAX_VALUE,
          "Rows per chunk, the unit of a writer's memory.", Scope.WRITE));

  public static final LazyQOption<String> LOSSLESS = define(
      LazyQOption.text("lossless", EncodingSpec.losslessChoices(),
          "The lossless stage of every column; by default block encodings or zstd, whichever is smaller per chunk;"
              + " lightweight: block encodings without zstd, the fastest to decode;"
              + " smallest: also float columns derived from others in their chunk (a lookup, a running sum),"
              + " which a projection reads with them.",
          Scope.WRITE)
      .defaultShownAs("blocks or zstd where it pays"));

  /** Without it, the session's {@code spark.sql.sources.partitionOverwriteMode} applies, as for Spark's file sources. */
  public static final LazyQOption<String> PARTITION_OVERWRITE_MODE = define(
      LazyQOption.oneOf("partitionOverwriteMode", List.of("static", "dynamic"),
          "An overwrite of a partitioned table: static replaces every file, dynamic only the partitions written.",
          Scope.WRITE)
      .defaultShownAs("the session's spark.sql.sources.partitionOverwriteMode"));

  /**
   * A checkpoint holds a whole version, so reading the latest version reads it and at most this
   * many entries less one, however long the log grows; as Delta's default, 10.
   */
  public static final LazyQOption<Integer> CHECKPOINT_INTERVAL = define(
      LazyQOption.integer("checkpointInterval", TableLog.DEFAULT_CHECKPOINT_INTERVAL, 1, Integer.MAX_VALUE,
          "Versions of a table's log between checkpoints, which a commit writes when its version is a multiple.",
          Scope.WRITE));

  /** Every option, in the order that documentation and messages list them. */
  public static final List<LazyQOption<?>> ALL = List.copyOf(DEFINED);

  private static final Map<String, LazyQOption<?>> BY_NAME = byName();

  /** Keys that Spark itself passes along with the user's options, or that a catalog table carries. */
  private static final Set<String> SPARK_KEYS = Set.of("path", "paths", "location", "provider", "owner", "external",
      "comment", "is_managed_location");

  /** Keys of this source's own that it passes to itself (see {@link SaveModes}). */
  private static final String INTERNAL_PREFIX = "__";

  private LazyQOptions() {}

  private static <T> LazyQOption<T> define(LazyQOption<T> option) {
    if (DEFINED.stream().anyMatch(o -> o.name().equalsIgnoreCase(option.name()))) {
      throw new IllegalStateException("two lazyq options named " + option.name());
    }
    DEFINED.add(option);
    return option;
  }

  private static Map<String, LazyQOption<?>> byName() {
    Map<String, LazyQOption<?>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ALL.forEach(o -> m.put(o.name(), o));
    return m;
  }

  /** The read options: for batch reads, streams or both. */
  public static List<LazyQOption<?>> read() {
    return select(LazyQOption::isRead);
  }

  public static List<LazyQOption<?>> write() {
    return select(o -> o.appliesTo(Scope.WRITE));
  }

  private static List<LazyQOption<?>> select(Predicate<LazyQOption<?>> which) {
    return ALL.stream().filter(which).toList();
  }

  /**
   * Options as Spark gives them, case-insensitive, with a catalog table's options freed of the
   * {@code option.} prefix under which the catalog keeps them among the table's properties.
   */
  static CaseInsensitiveStringMap normalize(Map<String, String> options) {
    Map<String, String> m = new HashMap<>();
    options.forEach((k, v) -> m.put(k.regionMatches(true, 0, TableCatalog.OPTION_PREFIX, 0,
        TableCatalog.OPTION_PREFIX.length()) ? k.substring(TableCatalog.OPTION_PREFIX.length()) : k, v));
    return new CaseInsensitiveStringMap(m);
  }

  /**
   * The {@code spark.sql.lazyq.*} entries of the active session's SQL configuration, by option
   * name; empty without an active session.
   */
  static CaseInsensitiveStringMap session() {
    Option<SparkSession> active = SparkSession.getActiveSession();
    if (active.isEmpty()) {
      return CaseInsensitiveStringMap.empty();
    }
    Map<String, String> m = new HashMap<>();
    ScalaCollections.map(active.get().conf().getAll()).forEach((k, v) -> {
      if (k.startsWith(SESSION_PREFIX)) {
        m.put(k.substring(SESSION_PREFIX.length()), v);
      }
    });
    return new CaseInsensitiveStringMap(m);
  }

  /**
   * The values of the selected options: each as {@code options} give it, else as {@code session}
   * does, else its default. Every key must be an option of this source, of any scope, or one that
   * Spark passes along. Only the value that wins is parsed.
   *
   * @param session values by option name, as {@link #session()} finds them
   * @throws IllegalArgumentException for an unknown key or an invalid value, naming the valid ones
   */
  static OptionValues resolve(CaseInsensitiveStringMap options, CaseInsensitiveStringMap session,
      Predicate<LazyQOption<?>> which) {
    for (String key : session.asCaseSensitiveMap().keySet()) {
      if (!BY_NAME.containsKey(key)) {
        throw unknown(SESSION_PREFIX + key);
      }
    }
    OptionValues given = given(options, which);
    Map<String, Object> values = new HashMap<>();
    for (LazyQOption<?> o : select(which)) {
      if (!given.has(o)) {
        String value = session.get(o.name());
        values.put(o.name(), value == null ? o.defaultValue() : o.parse(value, o.sessionKey()));
      }
    }
    return new OptionValues(values).with(given);
  }

  /**
   * The values of the selected options that {@code options} give, alone. Hadoop file system
   * settings ({@code fs.*}) pass through, for {@link StorageConf}.
   *
   * @throws IllegalArgumentException for an unknown key or an invalid value, naming the valid ones
   */
  static OptionValues given(CaseInsensitiveStringMap options, Predicate<LazyQOption<?>> which) {
    for (String key : options.asCaseSensitiveMap().keySet()) {
      if (!BY_NAME.containsKey(key) && !isSparkKey(key) && !StorageConf.isFsKey(key)) {
        throw unknown(key);
      }
    }
    Map<String, Object> values = new HashMap<>();
    for (LazyQOption<?> o : select(which)) {
      String value = options.get(o.name());
      if (value != null) {
        values.put(o.name(), o.parse(value));
      }
    }
    return new OptionValues(values);
  }

  private static IllegalArgumentException unknown(String key) {
    return new IllegalArgumentException("unknown lazyq option '" + key + "'; valid read options: "
        + describe(read()) + "; valid write options: " + describe(write()));
  }

  private static boolean isSparkKey(String key) {
    return key.startsWith(INTERNAL_PREFIX) || SPARK_KEYS.stream().anyMatch(key::equalsIgnoreCase);
  }

  private static String describe(List<LazyQOption<?>> options) {
    return options.stream().map(LazyQOption::describe).collect(Collectors.joining(", "));
  }

  /** The paths that Spark gives as {@code path}, or as {@code paths}, a JSON array of them. */
  static List<String> paths(CaseInsensitiveStringMap options) {
    List<String> paths = new ArrayList<>();
    if (options.containsKey("path")) {
      paths.add(options.get("path"));
    }
    String json = options.get("paths");
    if (json != null) {
      try {
        paths.addAll(List.of(new ObjectMapper().readValue(json, String[].class)));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("option 'paths' is not a JSON array of strings: " + json, e);
      }
    }
    return paths;
  }
}
