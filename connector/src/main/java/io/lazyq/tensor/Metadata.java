package io.lazyq.tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A file's key/value metadata, in file order. Immutable. */
public final class Metadata {
  private static final Metadata EMPTY = new Metadata(Map.of());

  private final Map<String, MetadataValue> entries;

  private Metadata(Map<String, MetadataValue> entries) {
    this.entries = entries;
  }

  public static Metadata empty() {
    return EMPTY;
  }

  /** A copy of {@code entries}, in their iteration order. */
  public static Metadata of(Map<String, MetadataValue> entries) {
    return new Metadata(Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
  }

  public Set<String> keys() {
    return entries.keySet();
  }

  public int size() {
    return entries.size();
  }

  public Optional<MetadataValue> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** The value of a string key, if present and a string. */
  public Optional<String> string(String key) {
    MetadataValue v = entries.get(key);
    return v != null && v.type() == ValueType.STRING ? Optional.of(v.asString()) : Optional.empty();
  }

  /** Every entry, in file order (unmodifiable). */
  public Map<String, MetadataValue> asMap() {
    return entries;
  }

  /** A copy with {@code key} set to {@code value} (replacing, in place, or appended). */
  public Metadata with(String key, MetadataValue value) {
    Map<String, MetadataValue> m = new LinkedHashMap<>(entries);
    m.put(key, value);
    return of(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metadata m && entries.equals(m.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
