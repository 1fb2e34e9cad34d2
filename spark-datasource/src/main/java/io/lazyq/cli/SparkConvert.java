package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * {@code lazyq convert} of Parquet, JSON, ORC or CSV through Spark on local[*] and the
 * {@code lazyq} write path: a directory of part files, one per task, published whole.
 */
final class SparkConvert {
  /** Converts the input through Spark and returns the rows written. */
  static long convert(String input, String format, Path output, Map<String, String> writeOptions, PrintWriter err) {
    SparkSession spark = LocalSpark.start("lazyq convert");
    var reader = spark.read().format(format);
    if (format.equals("csv")) {
      reader = reader.option("header", "true").option("inferSchema", "true");
    }
    Dataset<Row> df = floatsWhereQuantized(reader.load(input), writeOptions);
    try (TaskProgress progress = TaskProgress.attach(spark, "convert")) {
      df.write().format("lazyq").options(writeOptions).mode(SaveMode.ErrorIfExists).save(output.toString());
    }
    return spark.read().format("lazyq").load(output.toString()).count();
  }

  /**
   * Text formats infer double for every decimal column: a column that the options quantize is
   * read as float32, the type that quantized encodings hold.
   */
  private static Dataset<Row> floatsWhereQuantized(Dataset<Row> df, Map<String, String> options) {
    EncodingSpec spec = EncodingSpec.parse(options.get("quantize"), options.get("errorBound"));
    for (StructField f : df.schema().fields()) {
      if (f.dataType().equals(DataTypes.DoubleType) && spec.names(f.name())) {
        df = df.withColumn(f.name(), new Column(f.name()).cast(DataTypes.FloatType));
      }
    }
    return df;
  }
}
