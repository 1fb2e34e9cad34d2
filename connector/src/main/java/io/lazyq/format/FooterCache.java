package io.lazyq.format;

import io.lazyq.storage.FileVersion;
import io.lazyq.storage.InputFile;
import io.lazyq.storage.RangeReader;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metadata (schema and chunk index) of remote files, kept per process so that the tasks of a
 * scan, and later scans, open a file they have seen without a request for its footer. Keyed by
 * location and {@link FileVersion} (length, modification time and, on S3, the entity tag), so that
 * a rewritten file is read afresh; local files are not kept, as reading their footers costs no
 * request. Bounded by an estimate of the memory held; the least recently used go first.
 *
 * <p>Thread-safe.
 */
public final class FooterCache {
  /** One per process: per Spark executor, and the driver's own. */
  private static final FooterCache SHARED = new FooterCache(64L << 20);
  /** Bytes an index holds per column chunk, about: a descriptor, its statistics and their boxes. */
  private static final int BYTES_PER_COLUMN_CHUNK = 160;

  private record Key(String location, FileVersion version) {}

  private final long maxBytes;
  private final LinkedHashMap<Key, FileMetadata> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** @param maxBytes the most memory, estimated, that the kept metadata may hold */
  public FooterCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  public static FooterCache shared() {
    return SHARED;
  }

  /** The file's metadata: kept from an earlier read of this version of it, or read now through {@code reader}. */
  public FileMetadata read(InputFile file, RangeReader reader) throws IOException {
    FileMetadata kept = kept(file);
    return kept != null ? kept : readAndKeep(file, reader);
  }

  /** The same, opening the file only where nothing is kept for it. */
  public FileMetadata read(InputFile file) throws IOException {
    FileMetadata kept = kept(file);
    if (kept != null) {
      return kept;
    }
    try (RangeReader reader = file.open()) {
      return readAndKeep(file, reader);
    }
  }

  private FileMetadata kept(InputFile file) {
    FileVersion version = file.cacheableVersion();
    if (version == null) {
      return null;
    }
    synchronized (this) {
      FileMetadata kept = entries.get(new Key(file.location(), version));
      if (kept != null) {
        hits.incrementAndGet();
      }
      return kept;
    }
  }

  private FileMetadata readAndKeep(InputFile file, RangeReader reader) throws IOException {
    FileVersion version = file.cacheableVersion();
    if (version == null) {
      return FileMetadata.read(reader);
    }
    Key key = new Key(file.location(), version);
    misses.incrementAndGet();
    FileMetadata read = FileMetadata.read(reader);
    long weight = weight(read);
    if (weight <= maxBytes) {
      synchronized (this) {
        FileMetadata before = entries.put(key, read);
        bytes += weight - (before == null ? 0 : weight(before));
        for (Iterator<Map.Entry<Key, FileMetadata>> it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext();) {
          bytes -= weight(it.next().getValue());
          it.remove();
        }
      }
    }
    return read;
  }

  /** Forgets every file, so that the next read of each asks storage again. */
  public synchronized void clear() {
    entries.clear();
    bytes = 0;
  }

  /** Reads answered from the cache. */
  public long hits() {
    return hits.get();
  }

  /** Reads that went to storage. */
  public long misses() {
    return misses.get();
  }

  private static long weight(FileMetadata m) {
    return 1024 + (long) m.index().size() * (1 + m.schema().size()) * BYTES_PER_COLUMN_CHUNK;
  }
}
