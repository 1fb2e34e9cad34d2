package io.lazyq.spark;

import io.lazyq.storage.Storage;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The Hadoop configuration that a read or write reaches its files with: the session's
 * ({@code spark.hadoop.*}, {@code core-site.xml}), with the options' {@code fs.*} keys laid over
 * it. Serializable as Spark's file sources ship theirs, so that a scan broadcasts it once to the
 * executors instead of sending it with every task.
 */
final class StorageConf implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration conf;
  private transient Storage storage;

  private StorageConf(Configuration conf) {
    this.conf = conf;
  }

  /** The active session's configuration with {@code fs.*} options over it. */
  static StorageConf forSession(Map<String, String> fsOptions) {
    Configuration c = SparkSession.active().sessionState().newHadoopConf();
    fsOptions.forEach(c::set);
    return new StorageConf(c);
  }

  /** The options' Hadoop file system settings: keys starting with {@code fs.}, as given. */
  static Map<String, String> fsOptions(Map<String, String> options) {
    Map<String, String> fs = new TreeMap<>();
    options.forEach((k, v) -> {
      String key = k.startsWith("option.") ? k.substring("option.".length()) : k;
      if (isFsKey(key)) {
        fs.put(key, v);
      }
    });
    return fs;
  }

  static boolean isFsKey(String key) {
    return key.regionMatches(true, 0, "fs.", 0, 3);
  }

  /** The context whose broadcasts {@link #SHARED} holds; a weak reference, so that a stopped context is not kept. */
  private static WeakReference<SparkContext> sharedFor = new WeakReference<>(null);
  /** The latest broadcasts by their configuration's entries, most recently used last. */
  private static final Map<Map<String, String>, Broadcast<StorageConf>> SHARED = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Map<String, String>, Broadcast<StorageConf>> eldest) {
      return size() > 8;
    }
  };

  /**
   * Sends the configuration to the executors once, as Spark's file sources send theirs, and once
   * for every scan with the same entries: a broadcast serialises the whole Hadoop configuration
   * (about a thousand entries), which cost more CPU per scan than reading a small file (a scan of
   * 20 unioned copies of a 263 k-row file spent a fifth of its JVM's CPU on it; docs/BENCHMARKS.md,
   * "Decoding streams per batch"). The entries are compared whole, so any change to the session's
   * configuration or the options makes a new broadcast.
   */
  static Broadcast<StorageConf> broadcast(StorageConf conf) {
    SparkContext context = SparkSession.active().sparkContext();
    Map<String, String> entries = new HashMap<>();
    conf.conf.forEach(e -> entries.put(e.getKey(), e.getValue()));
    synchronized (SHARED) {
      if (sharedFor.get() != context) {
        SHARED.clear();
        sharedFor = new WeakReference<>(context);
      }
      return SHARED.computeIfAbsent(entries, e -> JavaSparkContext.fromSparkContext(context).broadcast(conf));
    }
  }

  synchronized Storage storage() {
    if (storage == null) {
      storage = Storage.of(conf);
    }
    return storage;
  }

  Configuration hadoop() {
    return conf;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
