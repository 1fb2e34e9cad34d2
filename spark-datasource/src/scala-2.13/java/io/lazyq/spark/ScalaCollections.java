package io.lazyq.spark;

import java.util.List;
import java.util.Map;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Views of Scala collections as Java's. Scala 2.13's converters are {@code scala.jdk.javaapi};
 * Scala 2.12 has {@code scala.collection.JavaConverters} instead (the scala-2.12 source root).
 */
public final class ScalaCollections {
  private ScalaCollections() {}

  public static <T> List<T> list(scala.collection.Seq<T> seq) {
    return CollectionConverters.asJava(seq);
  }

  public static <K, V> Map<K, V> map(scala.collection.Map<K, V> map) {
    return CollectionConverters.asJava(map);
  }

  public static <T> Iterable<T> iterable(scala.collection.Iterable<T> iterable) {
    return CollectionConverters.asJava(iterable);
  }
}
