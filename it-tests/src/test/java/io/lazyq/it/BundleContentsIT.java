package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the bundle jar carries: LazyQ, what Spark lacks (Arrow's C Data Interface) and the Python
 * package; never what Spark or the cluster provides (Spark, Hadoop, the AWS SDK, netty, Arrow's
 * vectors), whose second copy would clash with the first.
 */
class BundleContentsIT {
  private static final List<String> PROVIDED = List.of("org/apache/spark/", "org/apache/hadoop/",
      "software/amazon/", "io/netty/", "org/apache/arrow/vector/", "scala/");

  @Test
  void carriesLazyQAndNothingThatSparkProvides() throws Exception {
    try (JarFile jar = new JarFile(ClusterJobs.bundle().toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertTrue(names.contains("io/lazyq/spark/LazyQSource.class"), "the data source");
      assertTrue(names.contains("io/lazyq/format/LzqFile.class"), "the format");
      assertTrue(names.contains("org/apache/arrow/c/Data.class"), "Arrow's C Data Interface, which Spark lacks");
      assertTrue(names.contains("lazyq/__init__.py"), "the Python package at the root");
      // Arrow 12's arrow-c-data has two classes in Arrow's vector package, which Spark's arrow-vector lacks.
      Set<String> cData = entries(Path.of(org.apache.arrow.c.Data.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
      assertEquals(List.of(), names.stream().filter(n -> PROVIDED.stream().anyMatch(n::startsWith) && !cData.contains(n))
          .limit(10).toList());
    }
  }

  private static Set<String> entries(Path jar) throws java.io.IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.stream().map(ZipEntry::getName).collect(Collectors.toSet());
    }
  }
}
