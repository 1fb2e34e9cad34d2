package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The columns of a {@code .lzq} file, in order, and its key/value metadata. */
public record Schema(List<Field> fields, Map<String, String> metadata) {

  public Schema {
    fields = List.copyOf(fields);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    Set<String> seen = new HashSet<>();
    for (Field f : fields) {
      if (!seen.add(f.name())) {
        throw new IllegalArgumentException("duplicate column name '" + f.name() + "'");
      }
    }
  }

  public static Schema of(Field... fields) {
    return new Schema(List.of(fields), Map.of());
  }

  public int size() {
    return fields.size();
  }

  public Field field(int ordinal) {
    return fields.get(ordinal);
  }

  /** Ordinal of the named column, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  public Optional<Field> find(String name) {
    int i = indexOf(name);
    return i < 0 ? Optional.empty() : Optional.of(fields.get(i));
  }

  /** Decodes a schema frame's payload; {@code base} is its absolute offset, for errors. */
  public static Schema decode(java.nio.ByteBuffer payload, String source, long base) throws LazyQFormatException {
    return MetadataCodec.decodeSchema(payload, source, base);
  }

  public Schema withMetadata(Map<String, String> newMetadata) {
    return new Schema(fields, newMetadata);
  }
}
