package io.lazyq.spark;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The read options of the {@code lazyq} source (see {@link LazyQOptions}), resolved once on the
 * driver: a typed view that every other class asks, so that no option string is parsed twice.
 */
public final class LazyQReadConf implements Serializable {
  private static final long serialVersionUID = 2L;

  /** How a tensor file becomes a table. */
  public enum TensorView {
    TENSORS, ROWS, METADATA
  }

  private final List<String> paths;
  private final OptionValues values;
  /** Hadoop file system settings ({@code fs.*} options) for this read, laid over the session's. */
  private final Map<String, String> fsOptions;

  private LazyQReadConf(List<String> paths, OptionValues values, Map<String, String> fsOptions) {
    this.paths = List.copyOf(paths);
    this.values = values;
    this.fsOptions = Map.copyOf(fsOptions);
  }

  /**
   * Resolves options over the active session's {@code spark.sql.lazyq.*} configuration and the
   * defaults; write options are accepted and ignored, so that one option map serves a table that is
   * both read and written.
   *
   * @throws IllegalArgumentException for an unknown key or an invalid value, naming the valid ones
   */
  public static LazyQReadConf parse(Map<String, String> options) {
    return parse(options, LazyQOptions.session());
  }

  /** Resolves options over the given session values, by option name, and the defaults. */
  static LazyQReadConf parse(Map<String, String> options, CaseInsensitiveStringMap session) {
    CaseInsensitiveStringMap normalized = LazyQOptions.normalize(options);
    LazyQReadConf conf = new LazyQReadConf(LazyQOptions.paths(normalized),
        LazyQOptions.resolve(normalized, session, LazyQOption::isRead), StorageConf.fsOptions(options));
    if (conf.versionAsOf() >= 0 && conf.timestampAsOf() != Long.MIN_VALUE) {
      throw new IllegalArgumentException("lazyq options " + LazyQOptions.VERSION_AS_OF + " and "
          + LazyQOptions.TIMESTAMP_AS_OF + " each name the version to read: give one of them");
    }
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
    OptionValues given = LazyQOptions.given(LazyQOptions.normalize(scanOptions),
        o -> o.isRead() && !o.shapesSchema());
    Map<String, String> fs = new TreeMap<>(fsOptions);
    fs.putAll(StorageConf.fsOptions(scanOptions));
    return new LazyQReadConf(paths, values.with(given), fs);
  }

  /** The value of a read option, as the typed accessors below give it. */
  <T> T get(LazyQOption<T> option) {
    return values.get(option);
  }

  public List<String> paths() {
    return paths;
  }

  /** The session's Hadoop configuration with this read's {@code fs.*} options; on the driver. */
  StorageConf storageConf() {
    return StorageConf.forSession(fsOptions);
  }

  public int batchRows() {
    return values.get(LazyQOptions.BATCH_ROWS);
  }

  public boolean dequantize() {
    return values.get(LazyQOptions.DEQUANTIZE);
  }

  public boolean stream() {
    return values.get(LazyQOptions.STREAM);
  }

  /** The most chunks a micro-batch reads; 0 for no limit. */
  public int maxChunksPerTrigger() {
    return values.get(LazyQOptions.MAX_CHUNKS_PER_TRIGGER);
  }

  /** The most bytes of chunk frames a micro-batch reads; 0 for no limit. */
  public long maxBytesPerTrigger() {
    return values.get(LazyQOptions.MAX_BYTES_PER_TRIGGER);
  }

  /** Whether a stream of a table passes over versions that remove files, rather than failing. */
  public boolean skipChangeCommits() {
    return values.get(LazyQOptions.SKIP_CHANGE_COMMITS);
  }

  /** Chunks each task opens ahead of the one it reads; 0 for none. */
  public int prefetch() {
    return values.get(LazyQOptions.PREFETCH);
  }

  /** Whether prefetching also dequantizes ahead. */
  public boolean prefetchDequantize() {
    return values.get(LazyQOptions.PREFETCH_DEQUANTIZE);
  }

  /** Whether each chunk is checked whole before it is read, and none skipped. */
  public boolean verify() {
    return values.get(LazyQOptions.VERIFY);
  }

  /** Whether aggregates, grouped or not, are computed in the scan. */
  public boolean aggregatePushdown() {
    return values.get(LazyQOptions.AGGREGATE_PUSHDOWN);
  }

  /** The version of the table to read, or -1 for the latest (or as {@link #timestampAsOf()} says). */
  public long versionAsOf() {
    return values.get(LazyQOptions.VERSION_AS_OF);
  }

  /** Reads the latest version committed at or before this time (ms since the epoch); {@link Long#MIN_VALUE}: none. */
  public long timestampAsOf() {
    return values.get(LazyQOptions.TIMESTAMP_AS_OF);
  }

  /** Which version of a table directory this read names. */
  TableFiles.AsOf asOf() {
    return new TableFiles.AsOf(versionAsOf(), timestampAsOf());
  }

  public TensorView view() {
    return values.get(LazyQOptions.VIEW);
  }

  @Override
  public String toString() {
    return "batchRows=" + batchRows() + ", dequantize=" + dequantize() + ", stream=" + stream() + ", view="
        + view().name().toLowerCase(Locale.ROOT) + (prefetch() > 0 ? ", prefetch=" + prefetch()
        + (prefetchDequantize() ? " with dequantization" : "") : "") + (verify() ? ", verify" : "")
        + (versionAsOf() >= 0 ? ", versionAsOf=" + versionAsOf() : "")
        + (timestampAsOf() != Long.MIN_VALUE ? ", timestampAsOf=" + Instant.ofEpochMilli(timestampAsOf()) : "");
  }
}
