package io.lazyq.spark;

import java.util.List;
import java.util.Map;
import scala.collection.JavaConverters;

/**
 * Views of Scala collections as Java's. Scala 2.12's converters are
 * {@code scala.collection.JavaConverters}; Scala 2.13's {@code scala.jdk.javaapi} (the scala-2.13
 * source root).
 */
public final class ScalaCollections {
  private ScalaCollections() {}

  public static <T> List<T> list(scala.collection.Seq<T> seq) {
    return JavaConverters.seqAsJavaList(seq);
  }

  public static <K, V> Map<K, V> map(scala.collection.Map<K, V> map) {
    return JavaConverters.mapAsJavaMap(map);
  }

  public static <T> Iterable<T> iterable(scala.collection.Iterable<T> iterable) {
    return JavaConverters.asJavaIterable(iterable);
  }
}
