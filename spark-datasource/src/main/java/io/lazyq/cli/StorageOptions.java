package io.lazyq.cli;

import io.lazyq.storage.Storage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;

/**
 * {@code --conf key=value}: Hadoop settings for files given as URIs ({@code hdfs://},
 * {@code s3a://}), over those found on the classpath ({@code core-site.xml}); credentials come
 * from S3A's usual chain (environment, profile) unless set here.
 */
final class StorageOptions {
  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "A Hadoop setting for hdfs:// or s3a:// files, such as fs.s3a.endpoint=http://host:9000; repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();

  Storage storage() {
    Configuration c = new Configuration();
    conf.forEach(c::set);
    return Storage.of(c);
  }
}
