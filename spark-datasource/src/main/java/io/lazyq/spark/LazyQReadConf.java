package io.lazyq.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.connector.catalog.TableCatalog;

/**
 * The read options of the {@code lazyq} source, parsed once, case-insensitively. Every other class
 * asks this object; no option string is parsed twice.
 *
 * <ul>
 *   <li>{@code batchRows} (4096): rows per columnar batch, a positive multiple of 8 (so that validity
 *       bitmaps slice on byte boundaries); a multiple of 256 keeps batches on block boundaries.
 *   <li>{@code dequantize} (true): false exposes a quantized column as binary raw blocks, with its
 *       block parameters in the column's metadata.
 *   <li>{@code stream} (false): true reads each file front to back through a sequential stream,
 *       even where it could be mapped.
 *   <li>{@code maxChunksPerTrigger} (no limit): in a streaming query, the most chunks one
 *       micro-batch reads.
 *   <li>{@code maxBytesPerTrigger} (no limit): in a streaming query, the most bytes of chunk
 *       frames one micro-batch reads, as a count or with a unit ({@code 64m}); a micro-batch takes
 *       at least one chunk, however large.
 *   <li>{@code prefetch} (0): chunks that each task opens ahead of the one it reads, on a thread
 *       of its own, so that mapping, checksums and page faults overlap with Spark's work; 0 is
 *       off. Pays on cold pages; on warm ones the work it moves is small.
 *   <li>{@code prefetchDequantize} (false): with {@code prefetch}, also dequantize the next
 *       chunk's quantized columns ahead, into a buffer of the chunk's size. Pays where the
 *       prefetch thread has a core to itself.
 *   <li>{@code view} (tensors): for GGUF and Safetensors files, {@code tensors}, {@code rows} or
 *       {@code metadata}.
 * </ul>
 */
public final class LazyQReadConf implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String BATCH_ROWS = "batchRows";
  public static final String DEQUANTIZE = "dequantize";
  public static final String STREAM = "stream";
  public static final String VIEW = "view";
  public static final String MAX_CHUNKS_PER_TRIGGER = "maxChunksPerTrigger";
  public static final String MAX_BYTES_PER_TRIGGER = "maxBytesPerTrigger";
  public static final String PREFETCH = "prefetch";
  public static final String PREFETCH_DEQUANTIZE = "prefetchDequantize";

  public static final int DEFAULT_BATCH_ROWS = 4096;

  /** How a tensor file becomes a table. */
  public enum TensorView {
    TENSORS, ROWS, METADATA
  }

  private static final String VALID = BATCH_ROWS + " (a positive multiple of 8, default " + DEFAULT_BATCH_ROWS + "), "
      + DEQUANTIZE + " (true|false, default true), " + STREAM + " (true|false, default false), "
      + VIEW + " (tensors|rows|metadata, default tensors), " + MAX_CHUNKS_PER_TRIGGER
      + " (a positive count, default no limit), " + MAX_BYTES_PER_TRIGGER + " (a positive size such as 64m, default no limit), "
      + PREFETCH + " (chunks ahead, 0 to 64, default 0), " + PREFETCH_DEQUANTIZE + " (true|false, default false)";

  /** Keys that Spark itself passes along with the user's options, or that a catalog table carries. */
  private static final Set<String> SPARK_KEYS = Set.of("path", "paths", "location", "provider", "owner", "external",
      "comment", "is_managed_location");

  private static final Set<String> READ_KEYS = Set.of(BATCH_ROWS.toLowerCase(Locale.ROOT), DEQUANTIZE, STREAM, VIEW,
      MAX_CHUNKS_PER_TRIGGER.toLowerCase(Locale.ROOT), MAX_BYTES_PER_TRIGGER.toLowerCase(Locale.ROOT), PREFETCH,
      PREFETCH_DEQUANTIZE.toLowerCase(Locale.ROOT));

  /** More chunks ahead than this would hold many chunks' mappings for no further overlap. */
  private static final int MAX_PREFETCH = 64;

  private final List<String> paths;
  private final int batchRows;
  private final boolean dequantize;
  private final boolean stream;
  private final TensorView view;
  /** 0: no limit. */
  private final int maxChunksPerTrigger;
  /** 0: no limit. */
  private final long maxBytesPerTrigger;
  private final int prefetch;
  private final boolean prefetchDequantize;
  /** Hadoop file system settings ({@code fs.*} options) for this read, over the session's. */
  private Map<String, String> fsOptions = Map.of();

  private LazyQReadConf(List<String> paths, int batchRows, boolean dequantize, boolean stream, TensorView view,
      int maxChunksPerTrigger, long maxBytesPerTrigger, int prefetch, boolean prefetchDequantize) {
    this.maxChunksPerTrigger = maxChunksPerTrigger;
    this.maxBytesPerTrigger = maxBytesPerTrigger;
    this.prefetch = prefetch;
    this.prefetchDequantize = prefetchDequantize;
    this.paths = List.copyOf(paths);
    this.batchRows = batchRows;
    this.dequantize = dequantize;
    this.stream = stream;
    this.view = view;
  }

  /** Parses options; an unknown key or an invalid value fails with the list of valid options. */
  public static LazyQReadConf parse(Map<String, String> options) {
    List<String> paths = new ArrayList<>();
    int batchRows = DEFAULT_BATCH_ROWS;
    boolean dequantize = true;
    boolean stream = false;
    TensorView view = TensorView.TENSORS;
    int maxChunks = 0;
    long maxBytes = 0;
    int prefetch = 0;
    boolean prefetchDequantize = false;
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = key(e.getKey());
      String value = e.getValue();
      if (key.equals("path")) {
        paths.add(value);
      } else if (key.equals("paths")) {
        paths.addAll(jsonList(value));
      } else if (key.equals(BATCH_ROWS.toLowerCase(Locale.ROOT))) {
        batchRows = batchRows(value);
      } else if (key.equals(DEQUANTIZE)) {
        dequantize = bool(DEQUANTIZE, value);
      } else if (key.equals(STREAM)) {
        stream = bool(STREAM, value);
      } else if (key.equals(MAX_CHUNKS_PER_TRIGGER.toLowerCase(Locale.ROOT))) {
        maxChunks = within(MAX_CHUNKS_PER_TRIGGER, value, 1, Integer.MAX_VALUE);
      } else if (key.equals(MAX_BYTES_PER_TRIGGER.toLowerCase(Locale.ROOT))) {
        maxBytes = size(MAX_BYTES_PER_TRIGGER, value);
      } else if (key.equals(PREFETCH)) {
        prefetch = within(PREFETCH, value, 0, MAX_PREFETCH);
      } else if (key.equals(PREFETCH_DEQUANTIZE.toLowerCase(Locale.ROOT))) {
        prefetchDequantize = bool(PREFETCH_DEQUANTIZE, value);
      } else if (key.equals(VIEW)) {
        view = view(value);
      } else if (!SPARK_KEYS.contains(key) && !key.startsWith("__") && !LazyQWriteConf.isWriteKey(key)
          && !StorageConf.isFsKey(key)) {
        throw new IllegalArgumentException("unknown lazyq option '" + e.getKey() + "'; valid options: " + VALID
            + "; write options: " + LazyQWriteConf.VALID);
      }
    }
    LazyQReadConf conf = new LazyQReadConf(paths, batchRows, dequantize, stream, view, maxChunks, maxBytes, prefetch,
        prefetchDequantize);
    conf.fsOptions = Map.copyOf(StorageConf.fsOptions(options));
    return conf;
  }

  /**
   * This configuration with options given at scan time laid over it. The options that shape the
   * schema ({@code dequantize}, {@code view}) stay as the table was resolved with.
   */
  LazyQReadConf merge(Map<String, String> scanOptions) {
    if (scanOptions.isEmpty()) {
      return this;
    }
    LazyQReadConf o = parse(scanOptions);
    int rows = has(scanOptions, BATCH_ROWS) ? o.batchRows : batchRows;
    boolean streamed = has(scanOptions, STREAM) ? o.stream : stream;
    int maxChunks = has(scanOptions, MAX_CHUNKS_PER_TRIGGER) ? o.maxChunksPerTrigger : maxChunksPerTrigger;
    long maxBytes = has(scanOptions, MAX_BYTES_PER_TRIGGER) ? o.maxBytesPerTrigger : maxBytesPerTrigger;
    int ahead = has(scanOptions, PREFETCH) ? o.prefetch : prefetch;
    boolean dequantizeAhead = has(scanOptions, PREFETCH_DEQUANTIZE) ? o.prefetchDequantize : prefetchDequantize;
    LazyQReadConf merged = new LazyQReadConf(paths, rows, dequantize, streamed, view, maxChunks, maxBytes, ahead,
        dequantizeAhead);
    Map<String, String> fs = new java.util.TreeMap<>(fsOptions);
    fs.putAll(o.fsOptions);
    merged.fsOptions = Map.copyOf(fs);
    return merged;
  }

  /**
   * An option's key, lowercase, without the {@code option.} prefix under which a catalog keeps a
   * table's options among its properties.
   */
  static String key(String raw) {
    String k = raw.toLowerCase(Locale.ROOT);
    return k.startsWith(TableCatalog.OPTION_PREFIX) ? k.substring(TableCatalog.OPTION_PREFIX.length()) : k;
  }

  /**
   * Whether a lowercase key is one this source knows as a read option or one that Spark passes
   * along; the write options accept and ignore these.
   */
  static boolean isKnown(String key) {
    return READ_KEYS.contains(key) || SPARK_KEYS.contains(key) || key.startsWith("__");
  }

  private static boolean has(Map<String, String> options, String key) {
    return options.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key));
  }

  public List<String> paths() {
    return paths;
  }

  /** The session's Hadoop configuration with this read's {@code fs.*} options; on the driver. */
  StorageConf storageConf() {
    return StorageConf.forSession(fsOptions);
  }

  public int batchRows() {
    return batchRows;
  }

  public boolean dequantize() {
    return dequantize;
  }

  public boolean stream() {
    return stream;
  }

  /** The most chunks a micro-batch reads; 0 for no limit. */
  public int maxChunksPerTrigger() {
    return maxChunksPerTrigger;
  }

  /** The most bytes of chunk frames a micro-batch reads; 0 for no limit. */
  public long maxBytesPerTrigger() {
    return maxBytesPerTrigger;
  }

  /** Chunks each task opens ahead of the one it reads; 0 for none. */
  public int prefetch() {
    return prefetch;
  }

  /** Whether prefetching also dequantizes ahead. */
  public boolean prefetchDequantize() {
    return prefetchDequantize;
  }

  public TensorView view() {
    return view;
  }

  private static int batchRows(String value) {
    int n = within(BATCH_ROWS, value, 1, Integer.MAX_VALUE);
    if (n % 8 != 0) {
      throw invalid(BATCH_ROWS, value);
    }
    return n;
  }

  /** An integer option's value, which must lie in {@code [min, max]}. */
  private static int within(String key, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(key, value);
  }

  private static long size(String key, String value) {
    try {
      long n = JavaUtils.byteStringAsBytes(value.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(key, value);
  }

  private static boolean bool(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return v.equals("true");
    }
    throw invalid(key, value);
  }

  private static TensorView view(String value) {
    try {
      return TensorView.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(VIEW, value);
    }
  }

  private static IllegalArgumentException invalid(String key, String value) {
    return new IllegalArgumentException("invalid value '" + value + "' for lazyq option " + key
        + "; valid options: " + VALID);
  }

  private static List<String> jsonList(String json) {
    try {
      return List.of(new ObjectMapper().readValue(json, String[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("option 'paths' is not a JSON array of strings: " + json, e);
    }
  }

  @Override
  public String toString() {
    return "batchRows=" + batchRows + ", dequantize=" + dequantize + ", stream=" + stream + ", view="
        + view.name().toLowerCase(Locale.ROOT) + (prefetch > 0 ? ", prefetch=" + prefetch
        + (prefetchDequantize ? " with dequantization" : "") : "");
  }
}
