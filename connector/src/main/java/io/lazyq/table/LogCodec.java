package io.lazyq.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lazyq.LazyQFormatException;
import io.lazyq.format.ColumnStats;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.Column;
import io.lazyq.table.LogAction.CommitInfo;
import io.lazyq.table.LogAction.Metadata;
import io.lazyq.table.LogAction.Operation;
import io.lazyq.table.LogAction.Protocol;
import io.lazyq.table.LogAction.RemoveFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A log entry's bytes: one JSON document, {@code {"lazyqLog": 1, "version": N, "actions": [...]}},
 * each action an object with one key naming its kind ({@code protocol}, {@code metadata},
 * {@code add}, {@code remove}, {@code commitInfo}). One document rather than a line per action, so
 * that an entry cut short anywhere fails to parse instead of reading as a shorter entry. Unknown
 * keys inside an action are ignored, so that later writers can add fields; an unknown action kind
 * is an error, since skipping it could drop a file.
 *
 * <p>A checkpoint is a document of the same actions holding a whole version: its protocol, its
 * metadata and an {@code add} per file; {@code _last_checkpoint} names the latest one ({@link
 * CheckpointHint}).
 */
public final class LogCodec {
  private static final int FORMAT = 1;
  private static final String CHECKPOINT = "lazyqCheckpoint";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogCodec() {}

  public static byte[] encode(long version, List<LogAction> actions) {
    ObjectNode root = JSON.createObjectNode().put("lazyqLog", FORMAT).put("version", version);
    putActions(root, actions);
    return bytes(root);
  }

  /**
   * A checkpoint's bytes: {@code {"lazyqCheckpoint": 1, "version": N, "files": F, "actions": [...]}},
   * the protocol, the metadata and the F files of the snapshot, as a log entry spells them.
   */
  public static byte[] encodeCheckpoint(Snapshot snapshot) {
    ObjectNode root = JSON.createObjectNode().put(CHECKPOINT, FORMAT).put("version", snapshot.version())
        .put("files", snapshot.files().size());
    List<LogAction> actions = new ArrayList<>();
    actions.add(Protocol.CURRENT);
    actions.add(snapshot.metadata());
    actions.addAll(snapshot.files());
    putActions(root, actions);
    return bytes(root);
  }

  /**
   * The snapshot that a checkpoint of {@code version} holds.
   *
   * @throws LazyQFormatException naming the table, the version and the file, for anything but a
   *     complete checkpoint of that version, with the protocol, the metadata and as many files as it says
   */
  public static Snapshot decodeCheckpoint(String table, long version, String file, byte[] bytes)
      throws LazyQFormatException {
    Problem problem = new Problem(table, version, file, "checkpoint");
    JsonNode root = document(bytes, CHECKPOINT, version, problem);
    Metadata metadata = null;
    boolean protocol = false;
    List<AddFile> files = new ArrayList<>();
    for (LogAction a : actions(root, problem)) {
      if (a instanceof Protocol p) {
        if (p.minReaderVersion() > Protocol.CURRENT.minReaderVersion()) {
          throw problem.of("needs a reader of protocol " + p.minReaderVersion(), null);
        }
        protocol = true;
      } else if (a instanceof Metadata m) {
        metadata = m;
      } else if (a instanceof AddFile f) {
        files.add(f);
      } else {
        throw problem.of("the checkpoint holds an action other than protocol, metadata or add: " + a, null);
      }
    }
    if (!protocol || metadata == null) {
      throw problem.of("the checkpoint lacks the protocol or the metadata", null);
    }
    if (root.path("files").asLong(-1) != files.size()) {
      throw problem.of("the checkpoint says it holds " + root.path("files") + " files, and holds " + files.size(), null);
    }
    return new Snapshot(table, version, metadata, files);
  }

  /** The {@code _last_checkpoint} hint's bytes. */
  public static byte[] encodeHint(CheckpointHint hint) {
    return bytes(JSON.createObjectNode().put("version", hint.version()).put("size", hint.size())
        .put("files", hint.files()).put("crc32", hint.crc32()));
  }

  /** The hint, or empty when the bytes are not one: a hint is never needed, so never an error. */
  public static Optional<CheckpointHint> decodeHint(byte[] bytes) {
    try {
      JsonNode o = JSON.readTree(bytes);
      if (o == null || !o.path("version").isIntegralNumber() || !o.path("size").isIntegralNumber()
          || !o.path("crc32").isIntegralNumber()) {
        return Optional.empty();
      }
      return Optional.of(new CheckpointHint(o.path("version").asLong(), o.path("size").asLong(),
          o.path("files").asLong(-1), o.path("crc32").asLong()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void putActions(ObjectNode root, List<LogAction> actions) {
    ArrayNode list = root.putArray("actions");
    for (LogAction a : actions) {
      ObjectNode wrapper = list.addObject();
      if (a instanceof Protocol p) {
        wrapper.putObject("protocol").put("minReaderVersion", p.minReaderVersion())
            .put("minWriterVersion", p.minWriterVersion());
      } else if (a instanceof Metadata m) {
        ObjectNode o = wrapper.putObject("metadata");
        ArrayNode schema = o.putArray("schema");
        m.schema().forEach(c -> schema.addObject().put("name", c.name()).put("type", c.type())
            .put("nullable", c.nullable()));
        ArrayNode partitions = o.putArray("partitionColumns");
        m.partitionColumns().forEach(partitions::add);
      } else if (a instanceof AddFile f) {
        ObjectNode o = wrapper.putObject("add").put("path", f.path()).put("rows", f.rows()).put("bytes", f.bytes());
        ObjectNode values = o.putObject("partitionValues");
        f.partitionValues().forEach(values::put);
        o.put("modificationTime", f.modificationTime());
        if (!f.stats().columns().isEmpty()) {
          putStats(o.putObject("stats"), f.stats());
        }
      } else if (a instanceof RemoveFile r) {
        wrapper.putObject("remove").put("path", r.path()).put("deletionTimestamp", r.deletionTimestamp());
      } else if (a instanceof CommitInfo c) {
        wrapper.putObject("commitInfo").put("operation", c.operation().name()).put("timestamp", c.timestamp())
            .put("jobId", c.jobId()).put("readVersion", c.readVersion());
      }
    }
  }

  /**
   * Statistics as Delta spells them: {@code nullCount}, {@code minValues} and {@code maxValues},
   * each an object by column name; a float that is no number is a string ({@code "NaN"}).
   */
  private static void putStats(ObjectNode o, FileStats stats) {
    ObjectNode nulls = o.putObject("nullCount");
    ObjectNode mins = o.putObject("minValues");
    ObjectNode maxs = o.putObject("maxValues");
    stats.columns().forEach((name, c) -> {
      nulls.put(name, c.nullCount());
      if (c.hasMinMax()) {
        putNumber(mins, name, c.min());
        putNumber(maxs, name, c.max());
      }
    });
  }

  private static void putNumber(ObjectNode o, String name, Number n) {
    if (n instanceof Long l) {
      o.put(name, l.longValue());
    } else {
      o.put(name, n.doubleValue());
    }
  }

  /** The statistics of an {@code add}: none where it has none; what is there must be numbers. */
  private static FileStats stats(JsonNode o, Problem problem) throws LazyQFormatException {
    if (o.isMissingNode() || o.isNull()) {
      return FileStats.NONE;
    }
    Map<String, ColumnStats> columns = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.path("nullCount").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (!e.getValue().isIntegralNumber()) {
        throw problem.of("the " + problem.what() + " gives column " + name + " a null count that is no number: "
            + e.getValue(), null);
      }
      Number min = statNumber(o.path("minValues").path(name), name, problem);
      Number max = statNumber(o.path("maxValues").path(name), name, problem);
      columns.put(name, min == null || max == null ? ColumnStats.nullsOnly(e.getValue().asLong())
          : new ColumnStats(e.getValue().asLong(), min, max));
    }
    return new FileStats(columns);
  }

  private static Number statNumber(JsonNode v, String name, Problem problem) throws LazyQFormatException {
    if (v.isMissingNode()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v.isFloatingPointNumber()) {
      return v.asDouble();
    }
    if (v.isTextual() && (v.asText().equals("NaN") || v.asText().equals("Infinity") || v.asText().equals("-Infinity"))) {
      return Double.parseDouble(v.asText());
    }
    throw problem.of("the " + problem.what() + " gives column " + name + " a bound that is no number: " + v, null);
  }

  private static byte[] bytes(ObjectNode root) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The actions of the entry that {@code file} holds for {@code version} of {@code table}.
   *
   * @throws LazyQFormatException naming the table, the version and the file, for anything but a
   *     complete entry of that version
   */
  public static List<LogAction> decode(String table, long version, String file, byte[] bytes)
      throws LazyQFormatException {
    Problem problem = new Problem(table, version, file, "entry");
    return actions(document(bytes, "lazyqLog", version, problem), problem);
  }

  /** The document of {@code kind} and {@code version} that the bytes hold, its header checked. */
  private static JsonNode document(byte[] bytes, String kind, long version, Problem problem)
      throws LazyQFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw problem.of("the " + problem.what() + " is not JSON, or is cut short (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading an array does no I/O
    }
    if (root == null || !root.isObject()) {
      throw problem.of(bytes.length == 0 ? "the " + problem.what() + " is empty"
          : "the " + problem.what() + " is not a JSON object", null);
    }
    if (root.path(kind).asInt(-1) != FORMAT) {
      throw problem.of("the " + problem.what() + " is not a lazyq log " + problem.what() + " of format " + FORMAT, null);
    }
    if (!root.path("version").canConvertToLong() || root.path("version").asLong() != version) {
      throw problem.of("the " + problem.what() + " records version " + root.path("version")
          + " under the name of version " + version, null);
    }
    return root;
  }

  private static List<LogAction> actions(JsonNode root, Problem problem) throws LazyQFormatException {
    JsonNode actions = root.path("actions");
    if (!actions.isArray()) {
      throw problem.of("the " + problem.what() + " has no list of actions", null);
    }
    List<LogAction> decoded = new ArrayList<>(actions.size());
    for (JsonNode wrapper : actions) {
      if (!wrapper.isObject() || wrapper.size() != 1) {
        throw problem.of("the " + problem.what() + " holds an action that is not an object of one key: " + wrapper, null);
      }
      Map.Entry<String, JsonNode> only = wrapper.fields().next();
      decoded.add(action(only.getKey(), only.getValue(), problem));
    }
    return decoded;
  }

  private static LogAction action(String kind, JsonNode o, Problem problem) throws LazyQFormatException {
    return switch (kind) {
      case "protocol" -> new Protocol(integer(o, "minReaderVersion", problem), integer(o, "minWriterVersion", problem));
      case "metadata" -> {
        List<Column> schema = new ArrayList<>();
        for (JsonNode c : array(o, "schema", problem)) {
          schema.add(new Column(text(c, "name", problem), text(c, "type", problem), c.path("nullable").asBoolean(true)));
        }
        List<String> partitions = new ArrayList<>();
        for (JsonNode p : array(o, "partitionColumns", problem)) {
          partitions.add(p.asText());
        }
        yield new Metadata(schema, partitions);
      }
      case "add" -> {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("partitionValues").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        yield new AddFile(path(o, problem), number(o, "rows", problem), number(o, "bytes", problem), values,
            o.path("modificationTime").asLong(0), stats(o.path("stats"), problem));
      }
      case "remove" -> new RemoveFile(path(o, problem), number(o, "deletionTimestamp", problem));
      case "commitInfo" -> {
        String operation = text(o, "operation", problem);
        try {
          yield new CommitInfo(Operation.valueOf(operation), number(o, "timestamp", problem), text(o, "jobId", problem),
              o.path("readVersion").asLong(-1));
        } catch (IllegalArgumentException e) {
          throw problem.of("the " + problem.what() + " names an unknown operation '" + operation + "'", null);
        }
      }
      default -> throw problem.of("the " + problem.what() + " holds an unknown action '" + kind + "'", null);
    };
  }

  /**
   * A file's path relative to the table directory: a name, in partition directories for a
   * partitioned table, nothing hidden and nothing that climbs out, so that no entry can point
   * outside the table ({@link PartitionPaths#isTablePath}).
   */
  private static String path(JsonNode o, Problem problem) throws LazyQFormatException {
    String path = text(o, "path", problem);
    if (!PartitionPaths.isTablePath(path)) {
      throw problem.of("the " + problem.what() + " names an invalid file '" + path + "'", null);
    }
    return path;
  }

  private static String text(JsonNode o, String key, Problem problem) throws LazyQFormatException {
    JsonNode v = o.path(key);
    if (!v.isTextual()) {
      throw problem.of("the " + problem.what() + " lacks the text field '" + key + "' in " + o, null);
    }
    return v.asText();
  }

  private static long number(JsonNode o, String key, Problem problem) throws LazyQFormatException {
    JsonNode v = o.path(key);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw problem.of("the " + problem.what() + " lacks the number '" + key + "' in " + o, null);
    }
    return v.asLong();
  }

  private static int integer(JsonNode o, String key, Problem problem) throws LazyQFormatException {
    long v = number(o, key, problem);
    return (int) Math.min(Integer.MAX_VALUE, v);
  }

  private static JsonNode array(JsonNode o, String key, Problem problem) throws LazyQFormatException {
    JsonNode v = o.path(key);
    if (!v.isArray()) {
      throw problem.of("the " + problem.what() + " lacks the list '" + key + "' in " + o, null);
    }
    return v;
  }

  /** Where a problem was found, for messages that locate it: a version's entry or its checkpoint. */
  record Problem(String table, long version, String file, String what) {
    LazyQFormatException of(String text, Throwable cause) {
      return new LazyQFormatException(file, LazyQFormatException.NO_OFFSET, "version " + version + " of the table "
          + table + ": " + text, cause);
    }
  }
}
