package io.lazyq.spark.bench;

import org.apache.spark.sql.SparkSession;

/** Times writing the demo's plain file as Parquet with and without float dictionaries. */
public final class ParquetWriteBench {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    for (String dict : new String[] {"true", "false", "true"}) {
      long t = System.nanoTime();
      var w = spark.read().format("lazyq").load(args[0] + "/sensors-plain.lzq").write().mode("overwrite")
          .option("compression", "snappy");
      if (dict.equals("false")) {
        for (String c : new String[] {"temperature", "pressure", "vibration", "ts"}) {
          w = w.option("parquet.enable.dictionary#" + c, "false");
        }
      }
      w.parquet("/tmp/lzqtry/pq-" + dict);
      System.out.printf("dictionary=%s %.1f s%n", dict, (System.nanoTime() - t) / 1e9);
    }
    spark.stop();
  }
}
