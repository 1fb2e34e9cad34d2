package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.spark.metrics.BytesFetched;
import io.lazyq.spark.metrics.ChunksSkipped;
import io.lazyq.spark.metrics.StorageRequests;
import io.lazyq.format.LzqFile;
import io.lazyq.storage.BufferPool;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read and write paths on every kind of storage: a local directory, HDFS and S3 (through
 * S3A), each a real server on this machine. Every case runs on each; every pooled buffer is back
 * in its pool after each one.
 */
class StorageTest extends SparkTestBase {

  static List<String> kinds() {
    return StorageServers.kinds();
  }

  /** S3A's settings go into the session, as {@code spark.hadoop.*} would put them. */
  @BeforeAll
  static void reachS3() throws Exception {
    StorageServers.target("s3a", dir).hadoop().forEach((k, v) -> spark.conf().set(k, v));
  }

  @AfterEach
  void everyPooledBufferIsBack() {
    assertEquals(0, BufferPool.shared().outstanding(), "pooled buffers not returned");
  }

  private static Dataset<Row> read(String path, String... options) {
    var reader = spark.read().format("lazyq");
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    return reader.load(path);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void everyTypeRoundTripsQuantized(String kind) throws Exception {
    String path = StorageServers.target(kind, dir).path("all");
    List<Row> rows = LazyQWriteTest.allTypesRows(700, 17);
    LazyQWriteTest.frame(rows, 3).write().format("lazyq").option("quantize", "q=q8_0")
        .option("errorBound", "e=1e-3,af=0.01").option("chunkRows", "100").save(path);

    List<Row> back = new ArrayList<>(read(path).collectAsList());
    back.sort(Comparator.comparingInt(r -> r.getInt(0)));
    assertEquals(rows.size(), back.size());
    for (int i = 0; i < rows.size(); i++) {
      Row want = rows.get(i);
      Row got = back.get(i);
      for (String exact : List.of("i", "l", "f", "d", "b", "s", "t")) {
        int c = LazyQWriteTest.ALL_TYPES.fieldIndex(exact);
        assertEquals(String.valueOf(want.get(c)), String.valueOf(got.get(c)), kind + " row " + i + " column " + exact);
      }
      int q = LazyQWriteTest.ALL_TYPES.fieldIndex("q");
      if (!want.isNullAt(q)) {
        assertTrue(Math.abs(want.getFloat(q) - got.getFloat(q)) <= 1.0 / 64, kind + " q at row " + i);
      }
      int e = LazyQWriteTest.ALL_TYPES.fieldIndex("e");
      if (!want.isNullAt(e)) {
        assertTrue(Math.abs(want.getFloat(e) - got.getFloat(e)) <= 1.01e-3, kind + " e at row " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void saveModes(String kind) throws Exception {
    String path = StorageServers.target(kind, dir).path("modes");
    spark.range(0, 1000).selectExpr("id", "cast(id as double) as v").write().format("lazyq").save(path);
    spark.range(1000, 1500).selectExpr("id", "cast(id as double) as v").write().format("lazyq")
        .mode(SaveMode.Append).save(path);
    assertEquals(1500, read(path).count());
    assertEquals(1500L * 1499 / 2, read(path).selectExpr("sum(id)").first().getLong(0));

    spark.range(0, 10).selectExpr("id", "cast(id as double) as v").write().format("lazyq")
        .mode(SaveMode.Ignore).save(path);
    assertEquals(1500, read(path).count());
    assertThrows(Exception.class, () -> spark.range(0, 10).selectExpr("id", "cast(id as double) as v").write()
        .format("lazyq").mode(SaveMode.ErrorIfExists).save(path));

    spark.range(0, 42).selectExpr("id", "cast(id as double) as v").write().format("lazyq")
        .mode(SaveMode.Overwrite).save(path);
    assertEquals(42, read(path).count());
    StorageServers.Target t = StorageServers.target(kind, dir);
    FileSystem fs = StorageServers.fileSystem(t);
    long parts = 0;
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(path))) {
      parts += s.getPath().getName().endsWith(".lzq") ? 1 : 0;
    }
    io.lazyq.table.Snapshot latest = new io.lazyq.table.TableLog(path, Storage.of(t.conf())).snapshot();
    assertEquals(42, latest.rows(), "the latest version holds the overwrite's files only");
    assertTrue(parts > latest.files().size(), "the files it removed stay for readers of earlier versions");
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void filtersLimitsAndCountStar(String kind) throws Exception {
    String path = StorageServers.target(kind, dir).path("range");
    spark.range(0, 100_000, 1, 2).selectExpr("id", "cast(id * 0.5 as double) as v", "cast(id as float) as f")
        .write().format("lazyq").option("chunkRows", "10000").save(path);

    Result filtered = run(read(path).filter("id >= 95000").selectExpr("sum(v)"));
    assertEquals(0.5 * (95_000L + 99_999L) * 5_000 / 2, filtered.rows().get(0).getDouble(0), 1e-6);
    assertTrue(filtered.metric(ChunksSkipped.NAME) >= 8, filtered.metrics().toString());

    assertEquals(100_000, read(path).count());
    assertEquals(10, read(path).limit(10).collectAsList().size());
    assertEquals(100_000, read(path, "prefetch", "2").selectExpr("count(f)").first().getLong(0));
    assertEquals(100_000, read(path, "stream", "true").selectExpr("count(f)").first().getLong(0));
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void remoteReadsReportWhatTheyFetched(String kind) throws Exception {
    String path = StorageServers.target(kind, dir).path("fetched");
    // Stored raw (no lossless stage), so that a column's stored bytes are its 8 bytes a value.
    spark.range(0, 50_000, 1, 1).selectExpr("id", "cast(id as double) as v").write().format("lazyq")
        .option("chunkRows", "10000").option("lossless", "none").save(path);
    Result r = run(read(path).selectExpr("sum(v)"));
    int partitions = read(path).rdd().getNumPartitions();
    if (kind.equals("local")) {
      assertEquals(0, r.metric(BytesFetched.NAME), r.metrics().toString());
    } else {
      // five chunks of one 80 KB column: a request each, plus both ends of the file for each task that opens it
      long requests = r.metric(StorageRequests.NAME);
      assertTrue(requests >= 5 && requests <= 5 + 2L * partitions, partitions + " partitions: " + r.metrics());
      long metadata = 2L * partitions * (16 << 10) + 2L * partitions * (64 << 10);
      assertTrue(r.metric(BytesFetched.NAME) >= 5 * 80_000 && r.metric(BytesFetched.NAME) <= 5 * 80_000 * 1.1 + metadata,
          r.metrics().toString());
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void badObjectsFailWithOneLineNamingThem(String kind) throws Exception {
    StorageServers.Target t = StorageServers.target(kind, dir);
    String missing = t.path("missing");
    Exception e = assertThrows(Exception.class, () -> read(missing).count());
    assertTrue(e.getMessage().lines().findFirst().orElse("").contains(missing), e.getMessage());

    String path = t.path("cut");
    spark.range(0, 20_000, 1, 1).selectExpr("id").write().format("lazyq").option("chunkRows", "5000").save(path);
    FileSystem fs = StorageServers.fileSystem(t);
    org.apache.hadoop.fs.Path part = null;
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(path))) {
      if (s.getPath().getName().endsWith(".lzq")) {
        part = s.getPath();
      }
    }
    byte[] whole;
    try (InputStream in = fs.open(part)) {
      whole = in.readAllBytes();
    }
    Dataset<Row> df = read(part.toString());
    try (OutputStream out = fs.create(part, true)) {
      out.write(whole, 0, whole.length / 2); // a truncated object: the footer is gone
    }
    org.apache.hadoop.fs.Path cut = part;
    Exception truncated = assertThrows(Exception.class, () -> read(cut.toString()).count());
    String first = rootCause(truncated).getMessage().lines().findFirst().orElse("");
    assertTrue(first.contains(part.getName()), first);
    assertTrue(first.contains("cut short"), first); // the file was not opened for append: damage, not growth
    assertTrue(df.schema().size() == 1);
  }

  /**
   * The read economy on S3, counted by the scan's metrics and by the server: one of ten float
   * columns fetches that column's stored bytes plus both ends of each file; requests grow with
   * chunks, not chunks times columns; count(*) reads both ends of each file and no chunk.
   */
  @Test
  void readEconomyOnS3() throws Exception {
    StorageServers.Target t = StorageServers.target("s3a", dir);
    String path = t.path("economy");
    int rows = 400_000;
    String[] cols = new String[10];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = "cast(rand(" + c + ") as float) as c" + c;
    }
    spark.range(0, rows, 1, 2).selectExpr(cols).write().format("lazyq").option("chunkRows", "20000").save(path);

    Storage storage = Storage.of(t.conf());
    long columnBytes = 0;
    long fileBytes = 0;
    int files = 0;
    int chunks = 0;
    for (FileEntry f : TableFiles.list(List.of(path), storage)) {
      files++;
      fileBytes += f.length();
      try (LzqFile lzq = LzqFile.open(storage.input(f.location(), f.length()), false)) {
        for (int k = 0; k < lzq.index().size(); k++) {
          columnBytes += lzq.index().chunk(k).column(3).length();
          chunks++;
        }
      }
    }

    long before = StorageServers.s3Gets();
    Result one = run(read(path).selectExpr("sum(c3)"));
    long oneGets = StorageServers.s3Gets() - before;
    int partitions = read(path).rdd().getNumPartitions();
    long fetched = one.metric(BytesFetched.NAME);
    long requests = one.metric(StorageRequests.NAME);
    long ends = 2L * partitions * ((16 << 10) + (64 << 10)); // both ends of a file, for each task that opens one
    assertTrue(fetched >= columnBytes && fetched <= columnBytes * 1.1 + ends, fetched + " fetched for " + columnBytes);
    assertTrue(requests >= chunks && requests <= chunks + 2L * (partitions + files), requests + " requests, " + chunks + " chunks");

    before = StorageServers.s3Gets();
    Result all = run(read(path).selectExpr("sum(c0)", "sum(c1)", "sum(c2)", "sum(c3)", "sum(c4)", "sum(c5)", "sum(c6)",
        "sum(c7)", "sum(c8)", "sum(c9)"));
    long allGets = StorageServers.s3Gets() - before;
    assertTrue(all.metric(StorageRequests.NAME) <= chunks + 2L * (partitions + files), all.metrics().toString());

    before = StorageServers.s3Gets();
    assertEquals(rows, read(path).count());
    long countGets = StorageServers.s3Gets() - before;
    // each file's two ends (no chunk), plus planning's own reads: the log's two entries and one file's magic
    assertTrue(countGets <= 2L * files + 3, countGets + " GETs for count(*) over " + files + " files");

    System.out.printf("read economy: %d files, %d chunks, %,d bytes stored, column c3 %,d bytes%n"
        + "  sum(c3): %,d bytes fetched, %d requests (metric), %d GETs (server), %d partitions%n"
        + "  ten columns: %,d bytes fetched, %d requests (metric), %d GETs (server)%n"
        + "  count(*): %d GETs (server)%n", files, chunks, fileBytes, columnBytes, fetched, requests, oneGets, partitions,
        all.metric(BytesFetched.NAME), all.metric(StorageRequests.NAME), allGets, countGets);
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
