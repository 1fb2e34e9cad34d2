package io.lazyq.it;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Overwrites a lazyq table with Spark on {@code local[2]}, one complete version after another,
 * until it is killed: {@code OverwriteLoopMain DIR ROWS FIRST [LAST]}. Version {@code v} holds
 * {@code ROWS} rows ({@link #version}); before each overwrite it prints {@code writing v=<v>}, after
 * it {@code committed v=<v>}. It ends after version {@code LAST} when given, and as soon as its
 * standard input closes (the test JVM that started it is gone).
 */
public final class OverwriteLoopMain {
  /** Parts, so tasks, per version. */
  static final int PARTITIONS = 4;
  static final String CHUNK_ROWS = "16384";
  static final String QUANTIZE = "value=q8_0";
  /** The error bound of {@code level}. */
  static final double LEVEL_BOUND = 0.01;

  private OverwriteLoopMain() {}

  public static void main(String[] args) throws Exception {
    Thread orphan = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // nothing is sent: wait for the end of the stream
        }
      } catch (java.io.IOException ignored) {
        // the same: the parent is gone
      }
      Runtime.getRuntime().halt(4);
    }, "parent-watch");
    orphan.setDaemon(true);
    orphan.start();

    String dir = args[0];
    long rows = Long.parseLong(args[1]);
    long first = Long.parseLong(args[2]);
    long last = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE;
    SparkSession spark = SparkSession.builder().appName("overwrite-loop").master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    for (long v = first; v <= last; v++) {
      System.out.println("writing v=" + v);
      System.out.flush();
      write(version(spark, rows, v), dir);
      System.out.println("committed v=" + v);
      System.out.flush();
    }
    spark.stop();
  }

  /**
   * Version {@code v}: {@code id} 0 to rows-1, {@code version} = v, {@code value} =
   * sin(id / 100 + v) (Q8_0), {@code level} = (id % 1000) / 100 + v (error-bounded).
   */
  static Dataset<Row> version(SparkSession spark, long rows, long v) {
    return spark.range(0, rows, 1, PARTITIONS).selectExpr("id", "CAST(" + v + " AS BIGINT) AS version",
        "CAST(sin(id / 100.0 + " + v + ") AS FLOAT) AS value",
        "CAST((id % 1000) / 100.0 + " + v + " AS FLOAT) AS level");
  }

  static void write(Dataset<Row> rows, String dir) {
    rows.write().format("lazyq").mode(SaveMode.Overwrite).option("chunkRows", CHUNK_ROWS)
        .option("quantize", QUANTIZE).option("errorBound", "level=" + LEVEL_BOUND).save(dir);
  }
}
