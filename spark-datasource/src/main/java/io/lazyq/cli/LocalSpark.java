package io.lazyq.cli;

import org.apache.spark.sql.SparkSession;

/** The local Spark session of the commands: every core, no UI, UTC, quiet. */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession start(String name) {
    int cores = Runtime.getRuntime().availableProcessors();
    SparkSession spark = SparkSession.builder()
        .master("local[*]")
        .appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, cores * 2)))
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
