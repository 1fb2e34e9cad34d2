package io.lazyq.spark;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The write options of the {@code lazyq} source, parsed once, case-insensitively.
 *
 * <ul>
 *   <li>{@code quantize} ({@code col=TYPE,...}): quantized float columns, TYPE one of the encoders
 *       ({@code q8_0}, {@code q4_0}, {@code affine8}, ...);
 *   <li>{@code errorBound} ({@code col=1e-3,...}): error-bounded float columns, every value within
 *       the bound of its input;
 *   <li>{@code chunkRows} (1048576): rows per chunk, the unit of a writer's memory;
 *   <li>{@code lossless} ({@code none}|{@code zstd}; by default zstd where it was measured to pay:
 *       integer, timestamp and string columns, and error-bounded codes).
 * </ul>
 *
 * A float column without an entry stays plain float32. Read options are accepted and ignored, so
 * that one option map serves a table that is both read and written (a catalog table's options).
 */
public final class LazyQWriteConf implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String QUANTIZE = "quantize";
  public static final String ERROR_BOUND = "errorBound";
  public static final String CHUNK_ROWS = "chunkRows";
  public static final String LOSSLESS = "lossless";

  static final String VALID = QUANTIZE + " (col=TYPE,...; TYPE one of " + EncodingSpec.encoderLabels() + "), "
      + ERROR_BOUND + " (col=BOUND,...), " + CHUNK_ROWS + " (a positive integer, default "
      + WriterOptions.DEFAULT_CHUNK_ROWS + "), " + LOSSLESS + " (none|zstd, default zstd where it pays)";

  private static final Set<String> KEYS = Set.of(lower(QUANTIZE), lower(ERROR_BOUND), lower(CHUNK_ROWS),
      lower(LOSSLESS));

  private final String path;
  private final String quantize;
  private final String errorBound;
  private final String lossless;
  private final int chunkRows;
  /** The options as given, for a write that Spark hands back to this source (see {@link SaveModes}). */
  private final Map<String, String> options;
  private transient EncodingSpec spec;

  private LazyQWriteConf(String path, String quantize, String errorBound, String lossless, int chunkRows,
      Map<String, String> options) {
    this.path = path;
    this.quantize = quantize;
    this.errorBound = errorBound;
    this.lossless = lossless;
    this.chunkRows = chunkRows;
    this.options = options;
    this.spec = EncodingSpec.parse(quantize, errorBound).withLossless(lossless);
  }

  /**
   * Parses options; an unknown key, an invalid value or an unknown quantized type fails here,
   * before any task starts.
   */
  public static LazyQWriteConf parse(Map<String, String> options) {
    String path = null;
    String quantize = null;
    String errorBound = null;
    String lossless = null;
    int chunkRows = WriterOptions.DEFAULT_CHUNK_ROWS;
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = LazyQReadConf.key(e.getKey());
      String value = e.getValue();
      if (key.equals("path")) {
        path = value;
      } else if (key.equals("paths")) {
        List<String> paths = LazyQReadConf.parse(Map.of("paths", value)).paths();
        if (paths.size() != 1) {
          throw new IllegalArgumentException("lazyq writes to one path, not " + paths);
        }
        path = paths.get(0);
      } else if (key.equals(lower(QUANTIZE))) {
        quantize = value;
      } else if (key.equals(lower(ERROR_BOUND))) {
        errorBound = value;
      } else if (key.equals(LOSSLESS)) {
        lossless = value;
      } else if (key.equals(lower(CHUNK_ROWS))) {
        chunkRows = chunkRows(value);
      } else if (!LazyQReadConf.isKnown(key) && !StorageConf.isFsKey(key)) {
        throw new IllegalArgumentException("unknown lazyq option '" + e.getKey() + "'; valid write options: "
            + VALID);
      }
    }
    try {
      return new LazyQWriteConf(path, quantize, errorBound, lossless, chunkRows, Map.copyOf(options));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("lazyq: " + e.getMessage(), e);
    }
  }

  /** Whether a lowercase key is a write option, which the read options accept and ignore. */
  static boolean isWriteKey(String key) {
    return KEYS.contains(key);
  }

  /** The session's Hadoop configuration with this write's {@code fs.*} options; on the driver. */
  StorageConf storageConf() {
    return StorageConf.forSession(StorageConf.fsOptions(options));
  }

  /** The target directory, or null when Spark gave none. */
  public String path() {
    return path;
  }

  public int chunkRows() {
    return chunkRows;
  }

  WriterOptions writerOptions() {
    return WriterOptions.DEFAULTS.withChunkRows(chunkRows);
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

  private EncodingSpec spec() {
    if (spec == null) {
      spec = EncodingSpec.parse(quantize, errorBound).withLossless(lossless);
    }
    return spec;
  }

  private static int chunkRows(String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("invalid value '" + value + "' for lazyq option " + CHUNK_ROWS
        + "; valid write options: " + VALID);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** This configuration with options given at write time laid over it, case-insensitively. */
  LazyQWriteConf merge(Map<String, String> writeOptions) {
    if (writeOptions.isEmpty()) {
      return this;
    }
    Map<String, String> m = new LinkedHashMap<>(options);
    for (Map.Entry<String, String> e : writeOptions.entrySet()) {
      m.keySet().removeIf(k -> k.equalsIgnoreCase(e.getKey()));
      m.put(e.getKey(), e.getValue());
    }
    return parse(m);
  }
}
