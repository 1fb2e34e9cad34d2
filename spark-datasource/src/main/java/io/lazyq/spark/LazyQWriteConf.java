package io.lazyq.spark;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The write options of the {@code lazyq} source (see {@link LazyQOptions}), resolved once on the
 * driver: {@code quantize}, {@code errorBound} and {@code lossless} give each column's encoding, and
 * a float column without an entry stays plain float32. Read options are accepted and ignored, so
 * that one option map serves a table that is both read and written (a catalog table's options).
 */
public final class LazyQWriteConf implements Serializable {
  private static final long serialVersionUID = 2L;

  private final String path;
  private final OptionValues values;
  /** The options as given, for a write that Spark hands back to this source (see {@link SaveModes}). */
  private final Map<String, String> options;
  /** Not serializable: executors derive it again from the values checked on the driver. */
  private transient EncodingSpec spec;

  private LazyQWriteConf(String path, OptionValues values, Map<String, String> options) {
    this.path = path;
    this.values = values;
    this.options = options;
    this.spec = spec();
  }

  /**
   * Resolves options over the active session's {@code spark.sql.lazyq.*} configuration and the
   * defaults; an unknown key, an invalid value or an unknown quantized type fails here, before any
   * task starts.
   */
  public static LazyQWriteConf parse(Map<String, String> options) {
    return parse(options, LazyQOptions.session());
  }

  /** Resolves options over the given session values, by option name, and the defaults. */
  static LazyQWriteConf parse(Map<String, String> options, CaseInsensitiveStringMap session) {
    CaseInsensitiveStringMap normalized = LazyQOptions.normalize(options);
    List<String> paths = LazyQOptions.paths(normalized);
    if (paths.size() > 1) {
      throw new IllegalArgumentException("lazyq writes to one path, not " + paths);
    }
    OptionValues values = LazyQOptions.resolve(normalized, session, o -> o.appliesTo(LazyQOption.Scope.WRITE));
    try {
      return new LazyQWriteConf(paths.isEmpty() ? null : paths.get(0), values,
          Map.copyOf(normalized.asCaseSensitiveMap()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("lazyq: " + e.getMessage(), e);
    }
  }

  /** The value of a write option. */
  <T> T get(LazyQOption<T> option) {
    return values.get(option);
  }

  /** The target directory, or null when Spark gave none. */
  public String path() {
    return path;
  }

  public int chunkRows() {
    return values.get(LazyQOptions.CHUNK_ROWS);
  }

  /** Versions of the table's log between checkpoints. */
  int checkpointInterval() {
    return values.get(LazyQOptions.CHECKPOINT_INTERVAL);
  }

  WriterOptions writerOptions() {
    return WriterOptions.DEFAULTS.withChunkRows(chunkRows());
  }

  /**
   * The schema of the files written from a Spark schema, with each column's encoding.
   *
   * @throws IllegalArgumentException for a type the format cannot hold, or an entry that names a
   *     missing or non-float column
   */
  Schema fileSchema(org.apache.spark.sql.types.StructType sparkSchema) {
    Schema plain = SparkSchemas.toLazyQ(sparkSchema);
    try {
      return spec().applyTo(plain);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("lazyq: " + e.getMessage(), e);
    }
  }

  Map<String, String> options() {
    return options;
  }

  /** The key under which Spark passes {@code partitionBy}'s columns to a source, a JSON array. */
  static final String PARTITION_BY_KEY = "__partition_columns";

  /** The columns that {@code df.write.partitionBy} named, in order; empty when it was not called. */
  List<String> partitionBy() {
    String json = new CaseInsensitiveStringMap(options).get(PARTITION_BY_KEY);
    if (json == null) {
      return List.of();
    }
    try {
      return List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String[].class));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("lazyq: Spark passed partition columns that are not a JSON array: " + json, e);
    }
  }

  /**
   * Whether an overwrite replaces only the partitions it writes: option {@code partitionOverwriteMode},
   * or else the session's {@code spark.sql.sources.partitionOverwriteMode}.
   */
  boolean dynamicOverwrite() {
    String mode = values.get(LazyQOptions.PARTITION_OVERWRITE_MODE);
    if (mode.isEmpty()) {
      mode = org.apache.spark.sql.internal.SQLConf.get().partitionOverwriteMode().toString();
    }
    // the option is checked by its parser; the session's setting is Spark's enum
    return mode.trim().equalsIgnoreCase("dynamic");
  }

  /** The session's Hadoop configuration with this write's {@code fs.*} options; on the driver. */
  StorageConf storageConf() {
    return StorageConf.forSession(StorageConf.fsOptions(options));
  }

  /** The columns' encodings, from options already checked on the driver. */
  private EncodingSpec spec() {
    if (spec == null) {
      spec = EncodingSpec.parse(values.get(LazyQOptions.QUANTIZE), values.get(LazyQOptions.ERROR_BOUND))
          .withLossless(values.get(LazyQOptions.LOSSLESS));
    }
    return spec;
  }

  /** This configuration with options given at write time laid over it, case-insensitively. */
  LazyQWriteConf merge(Map<String, String> writeOptions) {
    if (writeOptions.isEmpty()) {
      return this;
    }
    Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    m.putAll(options);
    m.putAll(LazyQOptions.normalize(writeOptions).asCaseSensitiveMap());
    return parse(m);
  }
}
