package io.lazyq.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The driver of a streaming query, for a test to kill with {@code kill -9} and restart from its
 * checkpoint: {@code readStream.format("lazyq")} on a directory into Spark's Parquet file sink, on
 * {@code local[2]}. {@code StreamDriverMain DATA CHECKPOINT SINK MAX_CHUNKS run|available-now}:
 * {@code run} goes on until killed; {@code available-now} takes what is there and exits.
 *
 * <p>It reports on standard output, one line each: {@value #STARTED} once the query has started,
 * and {@value #BATCH} per committed micro-batch with its id, rows, duration and the source's start
 * and end offsets.
 */
public final class StreamDriverMain {
  static final String STARTED = "stream.started";
  static final String BATCH = "stream.batch";

  private StreamDriverMain() {}

  public static void main(String[] args) throws Exception {
    String data = args[0];
    String checkpoint = args[1];
    String sink = args[2];
    String maxChunks = args[3];
    boolean availableNow = switch (args[4]) {
      case "run" -> false;
      case "available-now" -> true;
      default -> throw new IllegalArgumentException("mode run or available-now: " + args[4]);
    };
    SparkSession spark = SparkSession.builder().appName("stream-driver").master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    spark.streams().addListener(new Report());
    clearUncommittedStart(Path.of(checkpoint, "offsets"));
    StreamingQuery query = spark.readStream().format("lazyq").option("maxChunksPerTrigger", maxChunks).load(data)
        .writeStream().format("parquet")
        .option("checkpointLocation", checkpoint)
        .option("path", sink)
        .trigger(availableNow ? Trigger.AvailableNow() : Trigger.ProcessingTime(0))
        .start();
    query.awaitTermination();
    System.out.println("finished=true");
    spark.stop();
  }

  /**
   * Spark 4.1 refuses to start batch 0 in a checkpoint whose {@code offsets/} is not empty
   * (STATE_STORE_CHECKPOINT_LOCATION_NOT_EMPTY), and a driver killed while writing its first
   * offsets file leaves that write's hidden temporary there ({@code .0.<uuid>.tmp} and its
   * {@code .crc}; seen once in a run of 20 kills, 89 ms after the query started). A log that holds
   * no batch file has committed nothing, so its temporaries go, as the driver of any query
   * restarted after such a kill must clear them.
   */
  private static void clearUncommittedStart(Path offsets) throws IOException {
    if (!Files.isDirectory(offsets)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(offsets)) {
      files = s.toList();
    }
    if (files.stream().noneMatch(f -> f.getFileName().toString().matches("\\d+"))) {
      for (Path f : files) {
        if (f.getFileName().toString().startsWith(".")) {
          Files.delete(f);
        }
      }
    }
  }

  /** Prints the query's start and each micro-batch it commits. */
  private static final class Report extends StreamingQueryListener {
    @Override
    public void onQueryStarted(QueryStartedEvent event) {
      print(STARTED + " run " + event.runId());
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      StreamingQueryProgress p = event.progress();
      SourceProgress source = p.sources()[0];
      print(BATCH + " " + p.batchId() + " rows " + p.numInputRows() + " ms " + p.batchDuration()
          + " start " + source.startOffset() + " end " + source.endOffset());
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
      print("stream.terminated " + (event.exception().isDefined() ? event.exception().get() : "normally"));
    }

    /** Each line ends with this JVM's uptime, in ms. */
    private static void print(String line) {
      System.out.println(line + " uptime " + ManagementFactory.getRuntimeMXBean().getUptime());
      System.out.flush();
    }
  }
}
