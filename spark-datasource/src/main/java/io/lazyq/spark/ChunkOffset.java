package io.lazyq.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * A position in a directory of growing {@code .lzq} files: for each file, by path, how many of its
 * chunks come before it. Chunks are never rewritten, so a count says exactly which rows were read.
 * Serialized as a JSON object of path to count, sorted by path so that equal offsets are equal text.
 */
final class ChunkOffset extends Offset {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final ChunkOffset START = new ChunkOffset(Map.of());

  private final SortedMap<String, Integer> chunks;

  ChunkOffset(Map<String, Integer> chunks) {
    this.chunks = Collections.unmodifiableSortedMap(new TreeMap<>(chunks));
  }

  /** Chunks of {@code file} before this offset; 0 for a file it does not know. */
  int chunks(String file) {
    return chunks.getOrDefault(file, 0);
  }

  SortedMap<String, Integer> files() {
    return chunks;
  }

  static ChunkOffset parse(String json) {
    try {
      return new ChunkOffset(JSON.readValue(json, new TypeReference<Map<String, Integer>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a lazyq stream offset: " + json, e);
    }
  }

  @Override
  public String json() {
    try {
      return JSON.writeValueAsString(chunks);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
