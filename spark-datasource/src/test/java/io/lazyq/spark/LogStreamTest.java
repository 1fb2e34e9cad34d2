package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.storage.Storage;
import io.lazyq.table.TableLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code readStream.format("lazyq")} over a table with a log, on a local disk, HDFS and S3: the
 * table's files as of the start, then each append's files once, in version order, found from the
 * log. Each commit writes rows of its own ids, {@code commit} telling which commit wrote them, so
 * that what the stream hands on is checked against sums and counts computed apart.
 */
class LogStreamTest extends SparkTestBase {
  /** Rows per commit; chunks of 100 rows, two part files per commit. */
  private static final int ROWS = 500;

  /** What micro-batches handed on: each batch's rows as (id, commit). */
  private static final List<List<long[]>> batches = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void noBatchesYet() {
    batches.clear();
  }

  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void appendsCommittedWhileStreamingAreReadOnceInVersionOrder(String kind) throws Exception {
    String table = StorageServers.reach(kind, dir, spark).path("appends");
    append(table, 0, SaveMode.ErrorIfExists);
    int commits = 6;
    StreamingQuery q = start(table, kind + "-appends", Trigger.ProcessingTime(0), "maxChunksPerTrigger", "3");
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try {
        for (int c = 1; c <= commits; c++) {
          append(table, c, SaveMode.Append);
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "appender");
    writer.start();
    writer.join();
    try {
      assertEquals(null, failed.get(), "the appends");
      q.processAllAvailable();
    } finally {
      q.stop();
    }
    checkExactlyOnce(0, commits);
    for (List<long[]> b : batches) {
      assertTrue(b.size() <= 300, "maxChunksPerTrigger=3 of 100-row chunks: " + b.size());
    }
    for (int i = 1; i < batches.size(); i++) {
      long before = batches.get(i - 1).stream().mapToLong(r -> r[1]).max().orElse(Long.MIN_VALUE);
      long after = batches.get(i).stream().mapToLong(r -> r[1]).min().orElse(Long.MAX_VALUE);
      assertTrue(before <= after, "commits in version order: batch " + (i - 1) + " holds commit " + before
          + ", batch " + i + " commit " + after);
    }
  }

  /**
   * A micro-batch that fails after it was planned is planned again from the checkpoint's offsets
   * by the restarted query: the same rows, then the rest, each once.
   */
  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void aRestartFromTheCheckpointResumesExactly(String kind) throws Exception {
    String table = StorageServers.reach(kind, dir, spark).path("restart");
    for (int c = 0; c <= 2; c++) {
      append(table, c, c == 0 ? SaveMode.ErrorIfExists : SaveMode.Append);
    }
    List<Long> failedBatch = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean crash = new AtomicBoolean(true);
    StreamingQuery first = spark.readStream().format("lazyq").option("maxChunksPerTrigger", "4").load(table)
        .writeStream().option("checkpointLocation", dir.resolve(kind + "-restart").toString())
        .trigger(Trigger.AvailableNow())
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
          List<long[]> rows = rows(batch);
          if (id == 3 && crash.get()) {
            rows.forEach(r -> failedBatch.add(r[0]));
            throw new IllegalStateException("the sink fails micro-batch 3");
          }
          batches.add(rows);
        })
        .start();
    assertThrows(StreamingQueryException.class, first::awaitTermination);
    assertEquals(3, batches.size());
    crash.set(false);
    append(table, 3, SaveMode.Append);
    append(table, 4, SaveMode.Append);

    List<Long> replayed = Collections.synchronizedList(new ArrayList<>());
    StreamingQuery again = spark.readStream().format("lazyq").option("maxChunksPerTrigger", "4").load(table)
        .writeStream().option("checkpointLocation", dir.resolve(kind + "-restart").toString())
        .trigger(Trigger.AvailableNow())
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
          List<long[]> rows = rows(batch);
          if (id == 3) {
            rows.forEach(r -> replayed.add(r[0]));
          }
          batches.add(rows);
        })
        .start();
    again.awaitTermination();
    assertEquals(sorted(failedBatch), sorted(replayed), "micro-batch 3 again, as planned before the failure");
    assertTrue(!replayed.isEmpty());
    checkExactlyOnce(0, 4);
  }

  /**
   * An overwrite between appends stops a stream that started before it, once the append before it
   * is read, naming the table and the version; with skipChangeCommits the stream passes over it
   * and reads the appends before and after it only.
   */
  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void anOverwriteFailsTheStreamUnlessChangeCommitsAreSkipped(String kind) throws Exception {
    String table = StorageServers.reach(kind, dir, spark).path("overwritten");
    append(table, 0, SaveMode.ErrorIfExists);
    String failing = kind + "-overwrite-fails";
    String skipping = kind + "-overwrite-skips";
    awaitAvailableNow(table, failing);
    checkExactlyOnce(0, 0);
    batches.clear();
    awaitAvailableNow(table, skipping, "skipChangeCommits", "true");
    checkExactlyOnce(0, 0);

    append(table, 1, SaveMode.Append);
    append(table, 2, SaveMode.Overwrite);
    long overwrite = new TableLog(table, Storage.of(StorageServers.target(kind, dir).conf())).latestVersion();
    append(table, 3, SaveMode.Append);

    batches.clear();
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> awaitAvailableNow(table, failing));
    String message = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    assertTrue(message.contains("version " + overwrite + " of the table ") && message.contains("overwritten")
        && message.contains("skipChangeCommits"), message);
    assertTrue(message.contains("is an overwrite"), message);
    checkExactlyOnce(1, 1); // the append before the overwrite is read first, nothing of it or after it

    batches.clear();
    awaitAvailableNow(table, skipping, "skipChangeCommits", "true");
    List<long[]> all = batches.stream().flatMap(List::stream).toList();
    assertEquals(2L * ROWS, all.size(), "the appends before and after the overwrite, not the overwrite's rows");
    assertEquals(expectedIdSum(1) + expectedIdSum(3), all.stream().mapToLong(r -> r[0]).sum());
    assertEquals(2 * ROWS, all.stream().mapToLong(r -> r[0]).distinct().count());
  }

  /** Trigger.AvailableNow reads the versions there were when it started, not one committed during the run. */
  @ParameterizedTest
  @MethodSource("io.lazyq.spark.StorageServers#kinds")
  void availableNowReadsTheVersionsThereWereWhenItStarted(String kind) throws Exception {
    String table = StorageServers.reach(kind, dir, spark).path("available-now");
    append(table, 0, SaveMode.ErrorIfExists);
    append(table, 1, SaveMode.Append);
    AtomicBoolean appended = new AtomicBoolean();
    StreamingQuery q = spark.readStream().format("lazyq").option("maxChunksPerTrigger", "2").load(table)
        .writeStream().option("checkpointLocation", dir.resolve(kind + "-available-now").toString())
        .trigger(Trigger.AvailableNow())
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
          batches.add(rows(batch));
          if (appended.compareAndSet(false, true)) {
            append(table, 2, SaveMode.Append); // committed while the run goes on
          }
        })
        .start();
    q.awaitTermination();
    assertEquals(6, batches.size(), "12 chunks (a commit's two files of 250 rows hold 3 each), 2 a micro-batch");
    checkExactlyOnce(0, 1);
    awaitAvailableNow(table, kind + "-available-now");
    checkExactlyOnce(0, 2);
  }

  private void awaitAvailableNow(String table, String checkpoint, String... options) throws Exception {
    start(table, checkpoint, Trigger.AvailableNow(), options).awaitTermination();
  }

  private StreamingQuery start(String table, String checkpoint, Trigger trigger, String... options)
      throws Exception {
    var reader = spark.readStream().format("lazyq");
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    return reader.load(table).writeStream().option("checkpointLocation", dir.resolve(checkpoint).toString())
        .trigger(trigger)
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> batches.add(rows(batch)))
        .start();
  }

  private static List<long[]> rows(Dataset<Row> batch) {
    return batch.select("id", "commit").collectAsList().stream().map(r -> new long[] {r.getLong(0), r.getInt(1)})
        .toList();
  }

  /** Writes commit {@code c}'s rows: ids {@code c * 1000} on, in two part files of 100-row chunks. */
  private static void append(String table, int c, SaveMode mode) {
    spark.range(c * 1000L, c * 1000L + ROWS, 1, 2)
        .selectExpr("id", "CAST(" + c + " AS INT) AS commit", "CAST(id % 97 AS DOUBLE) * 0.5 AS v")
        .write().format("lazyq").option("chunkRows", "100").mode(mode).save(table);
  }

  private static long expectedIdSum(int c) {
    long from = c * 1000L;
    return ROWS * from + (long) ROWS * (ROWS - 1) / 2;
  }

  /** Every row of commits {@code first} to {@code last} handed on once, and no other. */
  private void checkExactlyOnce(int first, int last) {
    List<long[]> all = batches.stream().flatMap(List::stream).toList();
    long sum = 0;
    for (int c = first; c <= last; c++) {
      sum += expectedIdSum(c);
    }
    assertEquals((long) (last - first + 1) * ROWS, all.size(), "rows handed on");
    assertEquals(sum, all.stream().mapToLong(r -> r[0]).sum(), "sum of ids");
    assertEquals(all.size(), all.stream().mapToLong(r -> r[0]).distinct().count(), "no row twice");
    for (long[] r : all) {
      assertEquals(r[0] / 1000, r[1], "id " + r[0] + " belongs to commit " + r[0] / 1000);
    }
  }

  private static List<Long> sorted(List<Long> ids) {
    return ids.stream().sorted().toList();
  }
}
