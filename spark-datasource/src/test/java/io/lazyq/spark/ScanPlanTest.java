package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.BufferRef;
import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ChunkIndex;
import io.lazyq.format.ColumnChunk;
import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnStats;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.FileMetadata;
import io.lazyq.format.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.filter.Or;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a scan's chunks are packed into input partitions, as Spark packs files: each chunk weighs its
 * selected bytes plus the open cost, and a partition takes chunks in file order while they fit the
 * target {@code min(maxPartitionBytes, max(openCost, total weight / minPartitionNum))}. Files are
 * named a, b, c...; a plan reads as its partitions' chunks, {@code "a0 a1 | b0"}.
 */
class ScanPlanTest {

  static final Schema SCHEMA = Schema.of(Field.of("x", ColumnType.INT64), Field.of("y", ColumnType.FLOAT64));
  static final int[] X = {0};
  static final int ROWS = 100;

  static Stream<Arguments> packing() {
    return Stream.of(
        //   chunk sizes of each file             max   open  minParts  partitions
        pack(files("1 1 1", "1 1"),               128,  0,    1,        "a0 a1 a2 b0 b1"),
        pack(files("10 10 10 10"),                20,   0,    1,        "a0 a1 | a2 a3"),
        pack(files("10 11 10"),                   20,   0,    1,        "a0 | a1 | a2"),
        pack(files("8 8 8 8"),                    20,   2,    1,        "a0 a1 | a2 a3"),
        pack(files("8 8 8 8"),                    20,   3,    1,        "a0 | a1 | a2 | a3"),
        pack(files("5 5 100 5 5"),                20,   0,    1,        "a0 a1 | a2 | a3 a4"),
        pack(files("100 5 5"),                    20,   0,    1,        "a0 | a1 a2"),
        pack(files("5 5 100"),                    20,   0,    1,        "a0 a1 | a2"),
        pack(files("100 100"),                    20,   0,    1,        "a0 | a1"),
        pack(files("5 5", "5", "5 5"),            20,   0,    1,        "a0 a1 b0 c0 | c1"),
        pack(files("4", "4", "4", "4", "4", "4"), 8,    0,    1,        "a0 b0 | c0 d0 | e0 f0"),
        pack(files("5", "", "5 5", ""),           10,   0,    1,        "a0 c0 | c1"),
        pack(files(),                             10,   0,    1,        ""),
        pack(files("", ""),                       10,   0,    1,        ""),
        // minPartitionNum spreads a scan smaller than maxPartitionBytes times the cores
        pack(files("10 10 10 10 10 10 10 10"),    1000, 0,    4,        "a0 a1 | a2 a3 | a4 a5 | a6 a7"),
        pack(files("10 10 10 10", "10 10 10 10"), 1000, 0,    2,        "a0 a1 a2 a3 | b0 b1 b2 b3"),
        pack(files("10 10 10 10 10 10 10 10"),    30,   0,    1,        "a0 a1 a2 | a3 a4 a5 | a6 a7"),
        pack(files("10 10 10 10 10 10 10 10"),    30,   0,    2,        "a0 a1 a2 | a3 a4 a5 | a6 a7"),
        pack(files("2 2 2 2"),                    1000, 1,    2,        "a0 a1 | a2 a3"),
        // ... but never below the open cost: then a partition is a chunk
        pack(files("1 1 1 1"),                    1000, 10,   8,        "a0 | a1 | a2 | a3"),
        pack(files("0 0 0 0"),                    1000, 4,    1,        "a0 a1 a2 a3"),
        pack(files("0 0 0 0"),                    1000, 4,    4,        "a0 | a1 | a2 | a3"),
        // the target is at least a byte
        pack(files("0 0 0"),                      0,    0,    1,        "a0 a1 a2"),
        pack(files("1 1 1"),                      0,    0,    1,        "a0 | a1 | a2"),
        // byte counts beyond 2 GiB
        pack(files("3000000000 3000000000", "1"), 4000000000L, 0, 1,    "a0 | a1 b0"));
  }

  @ParameterizedTest(name = "{0} max={1} open={2} minPartitions={3}: {4}")
  @MethodSource("packing")
  void packs(List<DataFile> files, long maxPartitionBytes, long openCost, int minPartitions, String partitions) {
    ScanPlan plan = ScanPlan.plan(files, X, StatsFilter.none(SCHEMA), -1, false, maxPartitionBytes, openCost,
        minPartitions);
    assertEquals(partitions, render(plan));
    assertWellFormed(plan, files);
    assertEquals(chunks(files).size() * (long) ROWS, plan.rows());
    assertEquals(chunks(files).stream().mapToLong(c -> c.column(0).length()).sum(), plan.bytes());
    assertEquals(0, plan.chunksSkipped());
  }

  static Stream<Arguments> streaming() {
    return Stream.of(
        //     chunk sizes of each file            max   partitions
        stream(files("5 5", "100", "1 1 1"),       10,   "a0 a1 | b0 | c0 c1 c2"),
        stream(files("1", "1", "1"),               1000, "a0 | b0 | c0"),
        stream(files("5", "", "5"),                10,   "a0 | c0"),
        stream(files("100 100 100"),               1,    "a0 a1 a2"),
        stream(files(),                            10,   ""));
  }

  /** A sequential scan reads each file from its start: one partition a file, whatever its size. */
  @ParameterizedTest(name = "stream {0} max={1}: {2}")
  @MethodSource("streaming")
  void streamsOnePartitionPerFile(List<DataFile> files, long maxPartitionBytes, String partitions) {
    ScanPlan plan = ScanPlan.plan(files, X, StatsFilter.none(SCHEMA), -1, true, maxPartitionBytes, 0, 8);
    assertEquals(partitions, render(plan));
    assertWellFormed(plan, files);
  }

  @Test
  void onlyTheSelectedColumnsWeigh() {
    List<DataFile> files = files("10 10"); // y weighs twice x
    assertEquals("a0 a1", render(plan(files, new int[] {0}, 30, 0, 1)));
    assertEquals("a0 | a1", render(plan(files, new int[] {0, 1}, 30, 0, 1)));
    assertEquals("a0 | a1", render(plan(files, new int[] {1}, 30, 0, 1)));
    assertEquals(40, plan(files, new int[] {1}, 30, 0, 1).bytes());
    assertEquals("a0 a1", render(plan(files, new int[] {}, 30, 0, 1)), "count(*) reads no column");
    assertEquals("a0 | a1", render(plan(files, new int[] {}, 30, 20, 1)), "but still opens each chunk");
  }

  @Test
  void chunksWithoutRowsAreSkipped() {
    List<DataFile> files = List.of(file("a", new long[] {5, 5, 5}, new int[] {ROWS, 0, ROWS}),
        file("b", new long[] {5}, new int[] {0}));
    ScanPlan plan = plan(files, X, 1000, 0, 1);
    assertEquals("a0 a2", render(plan));
    assertEquals(2, plan.chunksSkipped());
    assertEquals(2L * ROWS, plan.rows());
  }

  /** Chunk k of each file holds x in [10k, 10k + 9]. */
  @Test
  void chunksTheFilterRulesOutAreSkippedAndDoNotWeigh() {
    Predicate firstOrLast = new Or(compare("<", 10), compare(">=", 30));
    StatsFilter filter = StatsFilter.of(new Predicate[] {firstOrLast}, SCHEMA);
    List<DataFile> files = files("10 10 10 10", "10 10 10 10");
    ScanPlan plan = ScanPlan.plan(files, X, filter, -1, false, 1000, 0, 2);
    assertEquals("a0 a3 | b0 b3", render(plan));
    assertEquals(4, plan.chunksSkipped());
    assertEquals(4L * ROWS, plan.rows());
    assertEquals(40, plan.bytes());
    assertWellFormed(plan, files);
    ScanPlan streamed = ScanPlan.plan(files, X, filter, -1, true, 1000, 0, 2);
    assertEquals("a0 a3 | b0 b3", render(streamed));
    ScanPlan none = ScanPlan.plan(files, X, StatsFilter.of(new Predicate[] {compare(">", 1000)}, SCHEMA), -1, false,
        1000, 0, 2);
    assertEquals("", render(none));
    assertEquals(8, none.chunksSkipped());
  }

  static Stream<Arguments> limits() {
    return Stream.of(
        //    limit  chunks read (100 rows each)
        limit(-1,    "a0 a1 a2 b0 b1"),
        limit(0,     ""),
        limit(1,     "a0"),
        limit(100,   "a0"),
        limit(101,   "a0 a1"),
        limit(300,   "a0 a1 a2"),
        limit(301,   "a0 a1 a2 b0"),
        limit(10000, "a0 a1 a2 b0 b1"));
  }

  /** A pushed limit reads whole chunks until it has enough rows; Spark applies the limit itself. */
  @ParameterizedTest(name = "limit {0}: {1}")
  @MethodSource("limits")
  void aLimitStopsAtTheChunkThatReachesIt(long limit, String partitions) {
    List<DataFile> files = files("5 5 5", "5 5");
    ScanPlan plan = ScanPlan.plan(files, X, StatsFilter.none(SCHEMA), limit, false, 1000, 0, 1);
    assertEquals(partitions, render(plan));
    assertEquals(partitions.isEmpty() ? 0 : partitions.split(" ").length * (long) ROWS, plan.rows());
  }

  // ---- property: random files and settings

  /**
   * Every chunk with rows appears in exactly one partition, in file and chunk order; a partition
   * fits the target unless it is a single chunk, and closes only when the next chunk does not fit;
   * a sequential scan has one partition a file.
   */
  @Property(tries = 1000)
  void packingKeepsEveryChunkOnceInOrderWithinTheTarget(@ForAll("tables") List<DataFile> files,
      @ForAll @IntRange(min = 0, max = 600) int maxPartitionBytes, @ForAll @IntRange(min = 0, max = 60) int openCost,
      @ForAll @IntRange(min = 1, max = 16) int minPartitions, @ForAll boolean stream) {
    ScanPlan plan = ScanPlan.plan(files, X, StatsFilter.none(SCHEMA), -1, stream, maxPartitionBytes, openCost,
        minPartitions);
    assertWellFormed(plan, files);

    List<String> expected = new ArrayList<>();
    long total = 0;
    for (int f = 0; f < files.size(); f++) {
      for (ChunkDescriptor c : files.get(f).metadata().index().chunks()) {
        if (c.rows() > 0) {
          expected.add(name(f) + c.ordinal());
          total += c.column(0).length() + openCost;
        }
      }
    }
    List<String> planned = new ArrayList<>();
    for (ChunkGroup g : plan.groups()) {
      assertTrue(g.size() > 0, "an empty partition");
      for (int i = 0; i < g.size(); i++) {
        planned.add(nameOf(g.files()[g.fileOf()[i]]) + g.chunks()[i]);
      }
    }
    assertEquals(expected, planned, "every chunk once, in order");
    assertEquals(expected.size(), expected.stream().distinct().count());

    if (stream) {
      for (ChunkGroup g : plan.groups()) {
        assertEquals(1, g.files().length, "a partition is one file");
      }
      assertEquals(expected.stream().map(c -> c.substring(0, 1)).distinct().count(), plan.groups().size(),
          "one partition a file");
      return;
    }
    long target = Math.max(1, Math.min(maxPartitionBytes, Math.max(openCost, total / minPartitions)));
    List<ChunkGroup> groups = plan.groups();
    for (int p = 0; p < groups.size(); p++) {
      long weight = weight(groups.get(p), files, openCost, 0, groups.get(p).size());
      assertTrue(weight <= target || groups.get(p).size() == 1,
          "partition " + p + " weighs " + weight + " over the target " + target + ": " + render(plan));
      if (p + 1 < groups.size()) {
        assertTrue(weight + weight(groups.get(p + 1), files, openCost, 0, 1) > target,
            "partition " + p + " closed while the next chunk fit: " + render(plan));
      }
    }
  }

  @Provide
  Arbitrary<List<DataFile>> tables() {
    Arbitrary<Long> size = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.longs().between(0, 120)),
        Tuple.of(1, Arbitraries.longs().between(500, 5000)));
    Arbitrary<Integer> rows = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(ROWS)), Tuple.of(1, Arbitraries.just(0)));
    Arbitrary<long[]> chunkSizes = size.list().ofMaxSize(8).map(l -> l.stream().mapToLong(Long::longValue).toArray());
    return chunkSizes.flatMap(sizes -> rows.list().ofSize(sizes.length)
            .map(r -> new Object[] {sizes, r.stream().mapToInt(Integer::intValue).toArray()}))
        .list().ofMaxSize(6)
        .map(list -> {
          List<DataFile> files = new ArrayList<>();
          for (Object[] f : list) {
            files.add(file(name(files.size()), (long[]) f[0], (int[]) f[1]));
          }
          return files;
        });
  }

  // ---- checks

  /** Each partition names exactly the files its chunks lie in, in order, with the chunks' rows. */
  static void assertWellFormed(ScanPlan plan, List<DataFile> files) {
    for (ChunkGroup g : plan.groups()) {
      int last = -1;
      for (int i = 0; i < g.size(); i++) {
        assertTrue(g.fileOf()[i] == last || g.fileOf()[i] == last + 1, "files listed in order: " + g);
        last = g.fileOf()[i];
        String location = g.files()[g.fileOf()[i]];
        DataFile file = files.stream().filter(d -> d.location().equals(location)).findFirst().orElseThrow();
        assertEquals(file.metadata().index().chunk(g.chunks()[i]).rows(), g.rows()[i]);
      }
      assertEquals(g.files().length, last + 1, "only the files its chunks lie in");
    }
    assertEquals(plan.rows(), plan.groups().stream().mapToLong(ChunkGroup::rowCount).sum());
  }

  static long weight(ChunkGroup g, List<DataFile> files, long openCost, int from, int to) {
    long w = 0;
    for (int i = from; i < to; i++) {
      int chunk = g.chunks()[i];
      String location = g.files()[g.fileOf()[i]];
      DataFile file = files.stream().filter(d -> d.location().equals(location)).findFirst().orElseThrow();
      w += file.metadata().index().chunk(chunk).column(0).length() + openCost;
    }
    return w;
  }

  static String render(ScanPlan plan) {
    return plan.groups().stream().map(g -> {
      List<String> chunks = new ArrayList<>();
      for (int i = 0; i < g.size(); i++) {
        chunks.add(nameOf(g.files()[g.fileOf()[i]]) + g.chunks()[i]);
      }
      return String.join(" ", chunks);
    }).collect(Collectors.joining(" | "));
  }

  // ---- building tables: chunk sizes only

  static ScanPlan plan(List<DataFile> files, int[] columns, long maxPartitionBytes, long openCost, int minPartitions) {
    return ScanPlan.plan(files, columns, StatsFilter.none(SCHEMA), -1, false, maxPartitionBytes, openCost,
        minPartitions);
  }

  static Predicate compare(String op, long value) {
    return new Predicate(op, new Expression[] {Expressions.column("x"), Expressions.literal(value)});
  }

  static String name(int file) {
    return String.valueOf((char) ('a' + file));
  }

  static String nameOf(String location) {
    return Path.of(location).getFileName().toString().replace(".lzq", "");
  }

  /** Files a, b, c... of the given chunk sizes ("10 10 5"), every chunk of {@link #ROWS} rows. */
  static List<DataFile> files(String... sizes) {
    List<DataFile> files = new ArrayList<>() {
      @Override
      public String toString() {
        return Arrays.toString(sizes);
      }
    };
    for (String s : sizes) {
      long[] chunkSizes = s.isBlank() ? new long[0] : Arrays.stream(s.trim().split(" +")).mapToLong(Long::parseLong)
          .toArray();
      int[] rows = new int[chunkSizes.length];
      Arrays.fill(rows, ROWS);
      files.add(file(name(files.size()), chunkSizes, rows));
    }
    return files;
  }

  /**
   * A file of chunks whose x column takes the given bytes and y twice as many; chunk k holds x in
   * [10k, 10k + 9].
   */
  static DataFile file(String name, long[] sizes, int[] rows) {
    List<ChunkDescriptor> chunks = new ArrayList<>();
    long firstRow = 0;
    for (int k = 0; k < sizes.length; k++) {
      List<ColumnChunk> columns = List.of(
          column(sizes[k], rows[k], new ColumnStats(0, 10L * k, 10L * k + 9)),
          column(2 * sizes[k], rows[k], new ColumnStats(0, 0.0, 1.0)));
      chunks.add(new ChunkDescriptor(k, 0, 0, firstRow, rows[k], columns));
      firstRow += rows[k];
    }
    return new DataFile(name + ".lzq", new FileMetadata(SCHEMA, new ChunkIndex(chunks, firstRow), 0, 0),
        false);
  }

  static ColumnChunk column(long length, int rows, ColumnStats stats) {
    return new ColumnChunk(0, length, 0, ColumnEncoding.Lossless.NONE, rows, stats, BufferRef.ABSENT, BufferRef.ABSENT,
        BufferRef.ABSENT);
  }

  static List<ChunkDescriptor> chunks(List<DataFile> files) {
    return files.stream().flatMap(f -> f.metadata().index().chunks().stream()).toList();
  }

  static Arguments pack(List<DataFile> files, long max, long open, int minPartitions, String partitions) {
    return Arguments.of(files, max, open, minPartitions, partitions);
  }

  static Arguments stream(List<DataFile> files, long max, String partitions) {
    return Arguments.of(files, max, partitions);
  }

  static Arguments limit(long limit, String partitions) {
    return Arguments.of(limit, partitions);
  }
}
