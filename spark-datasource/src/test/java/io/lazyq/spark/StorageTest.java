package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.cli.CliTest;
import io.lazyq.spark.metrics.BytesFetched;
import io.lazyq.spark.metrics.ChunksSkipped;
import io.lazyq.spark.metrics.StorageRequests;
import io.lazyq.format.FooterCache;
import io.lazyq.format.LzqFile;
import io.lazyq.storage.FileEntry;
import io.lazyq.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read and write paths on every kind of storage: a local directory, HDFS and S3 (through
 * S3A), each a real server on this machine. Every case runs on each (as do {@link LazyQWriteTest}'s
 * round trip and save modes); every pooled buffer is back in its pool after each one
 * ({@link SparkTestBase}).
 */
class StorageTest extends SparkTestBase {

  static List<String> kinds() {
    return StorageServers.kinds();
  }

  @BeforeAll
  static void reachS3() throws Exception {
    StorageServers.reach("s3a", dir, spark);
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
    org.apache.hadoop.fs.Path part = partFile(fs, path);
    byte[] whole;
    try (InputStream in = fs.open(part)) {
      whole = in.readAllBytes();
    }
    Dataset<Row> df = read(part.toString());
    try (OutputStream out = fs.create(part, true)) {
      out.write(whole, 0, whole.length / 2); // a truncated object: the footer is gone
    }
    String cutLocation = kind.equals("local") ? part.toUri().getPath() : part.toString();
    Exception truncated = assertThrows(Exception.class, () -> read(cutLocation).count());
    String first = truncated.getMessage().lines().findFirst().orElse("");
    assertTrue(first.contains(cutLocation), first);
    assertTrue(first.contains("cut short"), first); // the file was not opened for append: damage, not growth
    assertTrue(df.schema().size() == 1);

    // lazyq cat: one line naming the object, exit 3 for damage, 1 for a missing one
    CliTest.Run cutCat = cat(t, cutLocation);
    assertEquals(3, cutCat.exit(), cutCat.err());
    assertOneLineNaming(cutLocation, cutCat.err());
    CliTest.Run missingCat = cat(t, missing + "/part.lzq");
    assertEquals(1, missingCat.exit(), missingCat.err());
    assertOneLineNaming(missing + "/part.lzq", missingCat.err());
  }

  /**
   * A verifying scan ({@code verify=true}) checks each chunk's frame, payload and columns through
   * the file's own reader, remote or local: the intact file reads whole, one flipped byte fails the
   * scan naming the file.
   */
  @ParameterizedTest
  @MethodSource("kinds")
  void verifyingScansCheckEveryChunk(String kind) throws Exception {
    StorageServers.Target t = StorageServers.target(kind, dir);
    String path = t.path("verified");
    // One chunk, so one task: the damaged read fails that task alone rather than cancelling others mid-read.
    spark.range(0, 20_000, 1, 1).selectExpr("id", "cast(id as double) as v").write().format("lazyq")
        .option("chunkRows", "20000").option("lossless", "none").save(path);
    assertEquals(0.5 * 19_999L * 20_000L, read(path, "verify", "true").selectExpr("sum(v)").first().getDouble(0));

    FileSystem fs = StorageServers.fileSystem(t);
    org.apache.hadoop.fs.Path part = partFile(fs, path);
    byte[] whole;
    try (InputStream in = fs.open(part)) {
      whole = in.readAllBytes();
    }
    whole[whole.length / 2] ^= 0x10; // inside the chunk's values: 320 KB of them against a footer of a few hundred bytes
    try (OutputStream out = fs.create(part, true)) {
      out.write(whole);
    }
    String location = kind.equals("local") ? part.toUri().getPath() : part.toString();
    Exception damaged = assertThrows(Exception.class, () -> read(location, "verify", "true").count());
    String first = damaged.getMessage().lines().findFirst().orElse("");
    assertTrue(first.contains(location) && first.contains("checksum mismatch"), damaged.getMessage());
  }

  /** The table's (last listed) data file. */
  private static org.apache.hadoop.fs.Path partFile(FileSystem fs, String table) throws IOException {
    org.apache.hadoop.fs.Path part = null;
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(table))) {
      if (s.getPath().getName().endsWith(".lzq")) {
        part = s.getPath();
      }
    }
    return part;
  }

  /** A file system that is not there fails the read, and lazyq cat, with one line naming the location. */
  @ParameterizedTest
  @MethodSource("remoteKinds")
  void wrongEndpointFailsWithOneLineNamingIt(String kind) throws Exception {
    StorageServers.Target t = StorageServers.target(kind, dir);
    // Port 1 on this machine: nothing listens there. A bucket of its own keeps S3A's cached clients apart.
    String location = kind.equals("s3a") ? "s3a://nowhere/t/part.lzq" : "hdfs://127.0.0.1:1/t/part.lzq";
    String[] wrong = kind.equals("s3a") ? new String[] {"fs.s3a.endpoint", "http://127.0.0.1:1"} : new String[0];
    Exception e = assertThrows(Exception.class, () -> read(location, wrong).count());
    assertTrue(e.getMessage().lines().findFirst().orElse("").contains(location), e.getMessage());

    java.util.Map<String, String> conf = new java.util.TreeMap<>(t.hadoop());
    if (kind.equals("s3a")) {
      conf.put("fs.s3a.endpoint", "http://127.0.0.1:1");
    }
    CliTest.Run run = cat(new StorageServers.Target(kind, t.root(), conf), location);
    assertEquals(1, run.exit(), run.err());
    assertOneLineNaming(location, run.err());
  }

  static List<String> remoteKinds() {
    return List.of("hdfs", "s3a");
  }

  /** lazyq cat of a location, with the settings that reach its storage as {@code --conf}. */
  private static CliTest.Run cat(StorageServers.Target t, String location) {
    List<String> args = new ArrayList<>(List.of("cat", location));
    t.hadoop().forEach((k, v) -> args.addAll(List.of("--conf", k + "=" + v)));
    args.addAll(List.of("--conf", "ipc.client.connect.max.retries=0"));
    return CliTest.run(args.toArray(new String[0]));
  }

  private static void assertOneLineNaming(String location, String err) {
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.contains(location), err);
  }

  /**
   * The read economy on S3, counted by the scan's metrics and by the server: one of ten float
   * columns fetches exactly that column's stored bytes, a request per chunk, once the footers are
   * known (planning reads each file's tail once per process, and tasks take it from the cache);
   * ten columns take no more requests than one; count(*) reads each file's tail, one request per
   * file, and no chunk.
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
    long allBytes = 0;
    int files = 0;
    int chunks = 0;
    for (FileEntry f : TableFiles.list(List.of(path), storage)) {
      files++;
      try (LzqFile lzq = LzqFile.open(storage.input(f.location(), f.length()), false)) {
        for (int k = 0; k < lzq.index().size(); k++) {
          columnBytes += lzq.index().chunk(k).column(3).length();
          for (int c = 0; c < cols.length; c++) {
            allBytes += lzq.index().chunk(k).column(c).length();
          }
          chunks++;
        }
      }
    }

    FooterCache.shared().clear();
    StorageServers.Served before = StorageServers.Served.now();
    Result one = run(read(path).selectExpr("sum(c3)"));
    StorageServers.Served oneServed = StorageServers.Served.now().minus(before);
    assertEquals(columnBytes, one.metric(BytesFetched.NAME), one.metrics().toString());
    assertEquals(chunks, one.metric(StorageRequests.NAME), one.metrics().toString());
    // the server: the column, and once each file's tail and the log's and one file's first bytes for planning
    assertTrue(oneServed.gets() <= chunks + files + 4, oneServed + " for " + chunks + " chunks");
    assertTrue(oneServed.bytes() <= columnBytes * 1.1 + files * (64 << 10) + (64 << 10), oneServed + " for "
        + columnBytes + " bytes of the column");

    before = StorageServers.Served.now();
    Result all = run(read(path).selectExpr("sum(c0)", "sum(c1)", "sum(c2)", "sum(c3)", "sum(c4)", "sum(c5)", "sum(c6)",
        "sum(c7)", "sum(c8)", "sum(c9)"));
    StorageServers.Served allServed = StorageServers.Served.now().minus(before);
    assertEquals(chunks, all.metric(StorageRequests.NAME), "a request per chunk for ten columns: " + all.metrics());
    assertTrue(all.metric(BytesFetched.NAME) >= allBytes && all.metric(BytesFetched.NAME) <= allBytes * 1.01,
        all.metrics() + " for " + allBytes);

    before = StorageServers.Served.now();
    assertEquals(rows, read(path).count());
    StorageServers.Served warm = StorageServers.Served.now().minus(before);
    FooterCache.shared().clear();
    before = StorageServers.Served.now();
    assertEquals(rows, read(path).count());
    StorageServers.Served cold = StorageServers.Served.now().minus(before);
    assertEquals(files, cold.gets() - warm.gets(), "one request per file for count(*): " + cold + " cold, " + warm
        + " with the footers known");

    System.out.printf("read economy: %d files, %d chunks, column c3 %,d bytes, ten columns %,d bytes%n"
        + "  sum(c3): %,d bytes fetched, %d requests (metric); server %s%n"
        + "  ten columns: %,d bytes fetched, %d requests (metric); server %s%n"
        + "  count(*): server %s with footers known, %s without%n", files, chunks, columnBytes, allBytes,
        one.metric(BytesFetched.NAME), one.metric(StorageRequests.NAME), oneServed,
        all.metric(BytesFetched.NAME), all.metric(StorageRequests.NAME), allServed, warm, cold);
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
