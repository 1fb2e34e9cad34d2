package io.lazyq.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * A position in a stream of a table with a log, as Delta's (version, index): chunk {@code chunk}
 * of file {@code file} of the files that version {@code version} added, or, when {@code initial},
 * of every file of the table as of that version (the stream's start, read first). Everything
 * before it was read. Versions and files never change once committed, so a position says exactly
 * which rows were read. Serialized as {@code {"version":7,"initial":false,"file":2,"chunk":0}};
 * a stream begins at version -1, before it has chosen its start;
 * directories without a log keep {@link ChunkOffset}'s form.
 */
final class LogOffset extends Offset implements Comparable<LogOffset> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<LogOffset> ORDER = Comparator.comparingLong(LogOffset::version)
      .thenComparingInt(LogOffset::file).thenComparingInt(LogOffset::chunk);

  private final long version;
  private final boolean initial;
  private final int file;
  private final int chunk;

  /**
   * Where every stream starts, before it has chosen the version to start from: the first
   * micro-batch chooses the latest, so that a query restarted before that batch committed plans it
   * again from the version the batch's end names, not from a later one.
   */
  static final LogOffset BEGIN = new LogOffset(-1, true, 0, 0);

  LogOffset(long version, boolean initial, int file, int chunk) {
    if (version < -1 || version == -1 && (!initial || file != 0 || chunk != 0) || file < 0 || chunk < 0) {
      throw new IllegalArgumentException("not a position in a table's log: version " + version + ", file " + file
          + ", chunk " + chunk);
    }
    this.version = version;
    this.initial = initial;
    this.file = file;
    this.chunk = chunk;
  }

  /** The start of a stream: the first chunk of the table as of {@code version}. */
  static LogOffset initial(long version) {
    return new LogOffset(version, true, 0, 0);
  }

  boolean begin() {
    return version < 0;
  }

  /**
   * The start of the stream that the first micro-batch's end names: that micro-batch reads the
   * files of the version it starts from and ends within them or just after them.
   */
  LogOffset startOf() {
    return initial(initial ? version : version - 1);
  }

  long version() {
    return version;
  }

  boolean initial() {
    return initial;
  }

  int file() {
    return file;
  }

  int chunk() {
    return chunk;
  }

  LogOffset nextChunk() {
    return new LogOffset(version, initial, file, chunk + 1);
  }

  LogOffset nextFile() {
    return new LogOffset(version, initial, file + 1, 0);
  }

  /** The first chunk of the version after this one. */
  LogOffset nextVersion() {
    return new LogOffset(version + 1, false, 0, 0);
  }

  boolean sameFile(LogOffset o) {
    return version == o.version && initial == o.initial && file == o.file;
  }

  @Override
  public int compareTo(LogOffset o) {
    return ORDER.compare(this, o);
  }

  /** @param table the table, for the message of an offset that is not one of this form */
  static LogOffset parse(String json, String table) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n != null && n.path("version").isIntegralNumber() && n.path("initial").isBoolean()
          && n.path("file").canConvertToInt() && n.path("chunk").canConvertToInt()) {
        return new LogOffset(n.get("version").asLong(), n.get("initial").asBoolean(), n.get("file").asInt(),
            n.get("chunk").asInt());
      }
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // told below
    }
    throw new IllegalArgumentException("lazyq: the checkpoint's offset " + json + " is not a position in the log of "
        + table + " (a stream of a directory without a log, or of another source, wrote it): start the stream with a"
        + " new checkpoint location");
  }

  @Override
  public String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("initial", initial);
    m.put("file", file);
    m.put("chunk", chunk);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
