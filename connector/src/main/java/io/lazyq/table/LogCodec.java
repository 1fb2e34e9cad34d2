package io.lazyq.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lazyq.LazyQFormatException;
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

/**
 * A log entry's bytes: one JSON document, {@code {"lazyqLog": 1, "version": N, "actions": [...]}},
 * each action an object with one key naming its kind ({@code protocol}, {@code metadata},
 * {@code add}, {@code remove}, {@code commitInfo}). One document rather than a line per action, so
 * that an entry cut short anywhere fails to parse instead of reading as a shorter entry. Unknown
 * keys inside an action are ignored, so that later writers can add fields; an unknown action kind
 * is an error, since skipping it could drop a file.
 */
public final class LogCodec {
  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogCodec() {}

  public static byte[] encode(long version, List<LogAction> actions) {
    ObjectNode root = JSON.createObjectNode().put("lazyqLog", FORMAT).put("version", version);
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
      } else if (a instanceof RemoveFile r) {
        wrapper.putObject("remove").put("path", r.path()).put("deletionTimestamp", r.deletionTimestamp());
      } else if (a instanceof CommitInfo c) {
        wrapper.putObject("commitInfo").put("operation", c.operation().name()).put("timestamp", c.timestamp())
            .put("jobId", c.jobId()).put("readVersion", c.readVersion());
      }
    }
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
    Problem problem = new Problem(table, version, file);
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw problem.of("the entry is not JSON, or is cut short (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading an array does no I/O
    }
    if (root == null || !root.isObject()) {
      throw problem.of(bytes.length == 0 ? "the entry is empty" : "the entry is not a JSON object", null);
    }
    if (root.path("lazyqLog").asInt(-1) != FORMAT) {
      throw problem.of("the entry is not a lazyq log entry of format " + FORMAT, null);
    }
    if (!root.path("version").canConvertToLong() || root.path("version").asLong() != version) {
      throw problem.of("the entry records version " + root.path("version") + " under the name of version " + version, null);
    }
    JsonNode actions = root.path("actions");
    if (!actions.isArray()) {
      throw problem.of("the entry has no list of actions", null);
    }
    List<LogAction> decoded = new ArrayList<>(actions.size());
    for (JsonNode wrapper : actions) {
      if (!wrapper.isObject() || wrapper.size() != 1) {
        throw problem.of("the entry holds an action that is not an object of one key: " + wrapper, null);
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
            o.path("modificationTime").asLong(0));
      }
      case "remove" -> new RemoveFile(path(o, problem), number(o, "deletionTimestamp", problem));
      case "commitInfo" -> {
        String operation = text(o, "operation", problem);
        try {
          yield new CommitInfo(Operation.valueOf(operation), number(o, "timestamp", problem), text(o, "jobId", problem),
              o.path("readVersion").asLong(-1));
        } catch (IllegalArgumentException e) {
          throw problem.of("the entry names an unknown operation '" + operation + "'", null);
        }
      }
      default -> throw problem.of("the entry holds an unknown action '" + kind + "'", null);
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
      throw problem.of("the entry names an invalid file '" + path + "'", null);
    }
    return path;
  }

  private static String text(JsonNode o, String key, Problem problem) throws LazyQFormatException {
    JsonNode v = o.path(key);
    if (!v.isTextual()) {
      throw problem.of("the entry lacks the text field '" + key + "' in " + o, null);
    }
    return v.asText();
  }

  private static long number(JsonNode o, String key, Problem problem) throws LazyQFormatException {
    JsonNode v = o.path(key);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw problem.of("the entry lacks the number '" + key + "' in " + o, null);
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
      throw problem.of("the entry lacks the list '" + key + "' in " + o, null);
    }
    return v;
  }

  /** Where a problem was found, for messages that locate it. */
  record Problem(String table, long version, String file) {
    LazyQFormatException of(String what, Throwable cause) {
      return new LazyQFormatException(file, LazyQFormatException.NO_OFFSET, "version " + version + " of the table "
          + table + ": " + what, cause);
    }
  }
}
