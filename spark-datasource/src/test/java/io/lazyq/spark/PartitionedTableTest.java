package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.spark.metrics.FilesPruned;
import io.lazyq.spark.metrics.FilesRead;
import io.lazyq.storage.Storage;
import io.lazyq.LazyQFormatException;
import io.lazyq.table.LogAction;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.Column;
import io.lazyq.table.LogAction.Metadata;
import io.lazyq.table.LogAction.Protocol;
import io.lazyq.table.LogCodec;
import io.lazyq.table.LogAction.Operation;
import io.lazyq.table.LogEntry;
import io.lazyq.table.PartitionPaths;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partitioned tables: writes into Hive-style directories, the log's partition columns and values,
 * reads with the partition columns as constants, pruning at planning (proved by the files-read
 * metric and by results compared with Spark's own Parquet source over the same rows), discovery of
 * directories without a log, appends, dynamic overwrites and time travel.
 */
class PartitionedTableTest extends SparkTestBase {
  private static final LocalDate FIRST = LocalDate.of(2026, 11, 1);
  private static final StructType SENSORS = new StructType().add("id", DataTypes.LongType, false)
      .add("sensor", DataTypes.IntegerType).add("value", DataTypes.DoubleType).add("day", DataTypes.DateType)
      .add("hour", DataTypes.IntegerType);

  /** A month of readings: day i % 30, hour (i / 30) % 4 or null for every 11th row. */
  private static List<Row> readings(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create((long) i, i % 7, i * 0.25, Date.valueOf(FIRST.plusDays(i % 30)),
          i % 11 == 0 ? null : (i / 30) % 4));
    }
    return rows;
  }

  private static Dataset<Row> frame(List<Row> rows, StructType schema) {
    return spark.createDataFrame(rows, schema).repartition(3);
  }

  private static List<Row> sorted(List<Row> rows) {
    List<Row> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Row::toString));
    return copy;
  }

  private static Snapshot snapshot(String table, Configuration conf) throws Exception {
    return new TableLog(table, Storage.of(conf)).snapshot();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "hdfs"})
  void aQueryOnOneDayOfThirtyReadsOnlyThatDaysFiles(String kind) throws Exception {
    StorageServers.Target target = StorageServers.target(kind, dir);
    String table = target.path("month");
    List<Row> rows = readings(6000);
    Dataset<Row> df = frame(rows, SENSORS);
    df.write().format("lazyq").partitionBy("day").save(table);
    String parquet = dir.resolve("month-parquet-" + kind).toString();
    df.write().parquet(parquet.toString());
    spark.read().parquet(parquet).createOrReplaceTempView("parquet_month");

    Snapshot s = snapshot(table, target.conf());
    assertEquals(List.of("day"), s.metadata().partitionColumns());
    assertEquals("date", s.metadata().partitionSchema().get(0).type());
    for (AddFile f : s.files()) {
      assertTrue(f.path().startsWith("day=" + f.partitionValues().get("day") + "/"), f.path());
    }
    Date day = Date.valueOf(FIRST.plusDays(14));
    long dayFiles = s.files().stream().filter(f -> f.partitionValues().get("day").equals(day.toString())).count();
    assertTrue(dayFiles >= 1 && s.files().size() > dayFiles, s.files().size() + " files");

    Result r = run(spark.read().format("lazyq").load(table).where("day = date'" + day + "'"));
    assertEquals(dayFiles, r.metric(FilesRead.NAME), "files read");
    assertEquals(s.files().size() - dayFiles, r.metric(FilesPruned.NAME), "files pruned");
    List<Row> expected = rows.stream().filter(x -> x.getDate(3).equals(day))
        .map(x -> RowFactory.create(x.get(0), x.get(1), x.get(2), x.get(4), x.get(3))).toList();
    // the table's schema: the files' columns, then the partition column
    assertEquals(sorted(expected), sorted(r.rows()));
    List<Row> fromParquet = spark.sql("SELECT id, sensor, value, hour, day FROM parquet_month WHERE day = date'" + day
        + "'").collectAsList();
    assertEquals(sorted(fromParquet), sorted(r.rows()));
    // only the partition column selected: the index's row counts and the constants answer
    assertEquals(sorted(spark.read().parquet(parquet).groupBy("day").count().collectAsList()),
        sorted(spark.read().format("lazyq").load(table).groupBy("day").count().collectAsList()));
  }

  /** Each form of predicate on partition columns, against the same query on Spark's Parquet source. */
  @Test
  void everyFilterFormPrunesAsItsPartitionValuesDecide() throws Exception {
    String table = dir.resolve("forms").toString();
    String parquet = dir.resolve("forms-parquet").toString();
    Dataset<Row> df = frame(readings(3000), SENSORS).where("day < date'2026-11-07'");
    df.write().format("lazyq").partitionBy("day", "hour").save(table);
    df.write().partitionBy("day", "hour").parquet(parquet);
    spark.read().parquet(parquet).createOrReplaceTempView("parquet_forms");
    spark.read().format("lazyq").load(table).createOrReplaceTempView("lazyq_forms");
    List<AddFile> files = snapshot(table, new Configuration()).files();
    assertTrue(files.stream().anyMatch(f -> f.partitionValues().get("hour") == null));
    assertTrue(Files.isDirectory(Path.of(table, "day=2026-11-01", "hour=" + PartitionPaths.NULL_VALUE)));

    record Form(String sql, Predicate<Map<String, String>> partitions, boolean dataFilter) {}
    Predicate<Map<String, String>> any = v -> true;
    List<Form> forms = List.of(
        new Form("day = date'2026-11-03'", v -> day(v) == 2, false),
        new Form("date'2026-11-03' = day", v -> day(v) == 2, false),
        new Form("day IN (date'2026-11-03', date'2026-11-05')", v -> day(v) == 2 || day(v) == 4, false),
        new Form("day < date'2026-11-03'", v -> day(v) < 2, false),
        new Form("day > date'2026-11-04'", v -> day(v) > 3, false),
        new Form("day <= date'2026-11-02' AND hour >= 2", v -> day(v) <= 1 && hour(v) != null && hour(v) >= 2, false),
        new Form("hour IS NULL", v -> hour(v) == null, false),
        new Form("hour IS NOT NULL AND day = date'2026-11-02'", v -> hour(v) != null && day(v) == 1, false),
        new Form("day = date'2026-11-02' OR hour = 3", v -> day(v) == 1 || Integer.valueOf(3).equals(hour(v)), false),
        new Form("NOT (day >= date'2026-11-02')", v -> day(v) < 1, false),
        new Form("hour IN (1, 2) AND NOT hour = 2", v -> Integer.valueOf(1).equals(hour(v)), false),
        new Form("day = date'2026-11-05' AND value > 100", v -> day(v) == 4, true),
        new Form("(day = date'2026-11-05' AND value > 100) OR (day = date'2026-11-06' AND sensor = 3)",
            v -> day(v) == 4 || day(v) == 5, true),
        new Form("day = date'2026-11-05' OR value > 700", any, true));
    for (Form f : forms) {
      Result r = run(spark.sql("SELECT id, sensor, value, day, hour FROM lazyq_forms WHERE " + f.sql()));
      List<Row> want = spark.sql("SELECT id, sensor, value, day, hour FROM parquet_forms WHERE " + f.sql())
          .collectAsList();
      assertEquals(sorted(want), sorted(r.rows()), f.sql());
      assertFalse(want.isEmpty(), f.sql());
      long matching = files.stream().filter(a -> f.partitions().test(a.partitionValues())).count();
      assertEquals(files.size() - matching, r.metric(FilesPruned.NAME), "files pruned by " + f.sql());
      if (!f.dataFilter()) {
        assertEquals(matching, r.metric(FilesRead.NAME), "files read for " + f.sql());
      }
    }
  }

  private static int day(Map<String, String> v) {
    return (int) (LocalDate.parse(v.get("day")).toEpochDay() - FIRST.toEpochDay());
  }

  private static Integer hour(Map<String, String> v) {
    return v.get("hour") == null ? null : Integer.valueOf(v.get("hour"));
  }

  private static final StructType ALL_TYPES = new StructType().add("id", DataTypes.IntegerType, false)
      .add("i", DataTypes.IntegerType).add("l", DataTypes.LongType).add("d", DataTypes.DoubleType)
      .add("b", DataTypes.BooleanType).add("s", DataTypes.StringType).add("dt", DataTypes.DateType)
      .add("ts", DataTypes.TimestampType).add("v", DataTypes.FloatType);
  private static final String[] STRINGS = {"plain", "a/b", "x=y", "100%", "sp ace", "ü:ñ", "#?*[]^{'\"\\", "tab\t",
      null, ""};

  private static List<Row> allTypes(int n) {
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      boolean nul = k % 9 == 4;
      rows.add(RowFactory.create(k, nul ? null : k % 3 - 1, nul ? null : (k % 2) * 5_000_000_000L,
          nul ? null : (k % 4) * -1.5e10, nul ? null : k % 2 == 0, STRINGS[k % STRINGS.length],
          nul ? null : Date.valueOf(FIRST.plusDays(k % 3)),
          nul ? null : new Timestamp(Timestamp.valueOf("2026-11-01 10:00:00").getTime() + (k % 2) * 1_234L),
          k * 0.5f));
    }
    return rows;
  }

  @Test
  void everyPartitionColumnTypeRoundTripsWithNullsAndSpecialCharacters() throws Exception {
    String table = dir.resolve("types").toString();
    List<Row> rows = allTypes(60);
    frame(rows, ALL_TYPES).write().format("lazyq").partitionBy("i", "l", "d", "b", "s", "dt", "ts").save(table);
    Dataset<Row> back = spark.read().format("lazyq").load(table);
    assertEquals(List.of("id", "v", "i", "l", "d", "b", "s", "dt", "ts"), List.of(back.schema().fieldNames()));
    for (String c : List.of("i", "l", "d", "b", "s", "dt", "ts")) {
      assertEquals(ALL_TYPES.apply(c).dataType(), back.schema().apply(c).dataType(), c);
    }
    List<Row> got = new ArrayList<>(back.selectExpr("id", "i", "l", "d", "b", "s", "dt", "ts", "v").collectAsList());
    got.sort(Comparator.comparingInt(r -> r.getInt(0)));
    assertEquals(rows.size(), got.size());
    for (int k = 0; k < rows.size(); k++) {
      Row want = rows.get(k);
      for (int c = 0; c < ALL_TYPES.size(); c++) {
        Object w = want.get(c);
        if ("".equals(w)) {
          w = null; // a directory cannot name an empty string: it is the partition of nulls, as in Spark and Delta
        }
        assertEquals(String.valueOf(w), String.valueOf(got.get(k).get(c)), "row " + k + " column " + c);
      }
    }
    // a query on a value that needs escaping prunes to its files
    Result r = run(back.where("s = 'a/b' AND i = 0"));
    assertTrue(r.metric(FilesRead.NAME) >= 1 && r.metric(FilesPruned.NAME) > 0, r.metrics().toString());
    assertEquals(rows.stream().filter(x -> "a/b".equals(x.get(5)) && Integer.valueOf(0).equals(x.get(1))).count(),
        r.rows().size());
  }

  /** One partition column at a time, the directories that lazyq makes are those Spark's Parquet writer makes. */
  @Test
  void partitionDirectoriesAreNamedAsSparkNamesThem() throws Exception {
    List<Row> rows = allTypes(30);
    for (String c : List.of("i", "l", "d", "b", "s", "dt", "ts")) {
      Path lazyq = dir.resolve("names-" + c);
      Path parquet = dir.resolve("names-parquet-" + c);
      // lazyq stores no date column; as a partition column it is only in directory names
      Dataset<Row> df = frame(rows, ALL_TYPES).select("id", c, "v");
      df.write().format("lazyq").partitionBy(c).save(lazyq.toString());
      df.write().partitionBy(c).parquet(parquet.toString());
      assertEquals(directories(parquet), directories(lazyq), c);
    }
  }

  @Test
  void escapingIsSparks() {
    StringBuilder all = new StringBuilder();
    for (char ch = 1; ch < 256; ch++) {
      all.append(ch);
    }
    all.append("ü€𝄞");
    String s = all.toString();
    assertEquals(ExternalCatalogUtils.escapePathName(s), PartitionPaths.escape(s));
    assertEquals(s, PartitionPaths.unescape(PartitionPaths.escape(s)));
    assertEquals(ExternalCatalogUtils.unescapePathName("a%2Fb%zz%4"), PartitionPaths.unescape("a%2Fb%zz%4"));
    assertEquals(ExternalCatalogUtils.DEFAULT_PARTITION_NAME(), PartitionPaths.NULL_VALUE);
  }

  private static Set<String> directories(Path table) throws Exception {
    try (Stream<Path> s = Files.list(table)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Hive-style directories of .lzq files that no lazyq log describes, as another tool would leave them. */
  @Test
  void directoriesOfPartitionsWithoutALogAreDiscoveredWithInferredTypes() throws Exception {
    Path table = dir.resolve("hive");
    String[][] partitions = {{"1", "2026-11-01", "a%2Fb"}, {"2", "2026-11-02", "c"},
        {PartitionPaths.NULL_VALUE, "2026-11-02", "c"}, {"30000000000", "2026-11-03", "d"}};
    List<Row> expected = new ArrayList<>();
    for (int p = 0; p < partitions.length; p++) {
      String[] v = partitions[p];
      Path part = table.resolve("n=" + v[0]).resolve("day=" + v[1]).resolve("s=" + v[2]);
      Path staging = dir.resolve("hive-staging-" + p);
      int base = p * 100;
      spark.range(base, base + 100).selectExpr("id", "cast(id * 2 as double) as x").coalesce(1).write().format("lazyq")
          .save(staging.toString());
      Files.createDirectories(part);
      try (Stream<Path> files = Files.list(staging)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".lzq")).toList()) {
          Files.copy(f, part.resolve(f.getFileName()));
        }
      }
      for (long id = base; id < base + 100; id++) {
        expected.add(RowFactory.create(id, id * 2.0, v[0].equals(PartitionPaths.NULL_VALUE) ? null
            : Long.valueOf(v[0]), Date.valueOf(v[1]), PartitionPaths.unescape(v[2])));
      }
    }
    Files.writeString(table.resolve("_SUCCESS"), "");
    Dataset<Row> df = lazyq(table);
    // 30000000000 does not fit an int: the column widens to bigint, as Spark infers it
    assertEquals(new StructType().add("id", DataTypes.LongType, false).add("x", DataTypes.DoubleType, false)
        .add("n", DataTypes.LongType).add("day", DataTypes.DateType).add("s", DataTypes.StringType), df.schema());
    assertEquals(sorted(expected), sorted(df.collectAsList()));

    Result r = run(df.where("day = date'2026-11-02' AND n IS NOT NULL"));
    assertEquals(1, r.metric(FilesRead.NAME));
    assertEquals(3, r.metric(FilesPruned.NAME));
    assertEquals(100, r.rows().size());
    assertEquals(1, run(df.where("s = 'a/b'")).metric(FilesRead.NAME));

    spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    try {
      Dataset<Row> strings = lazyq(table);
      for (String c : List.of("n", "day", "s")) {
        assertEquals(DataTypes.StringType, strings.schema().apply(c).dataType(), c);
      }
      assertEquals(100, strings.where("n = '30000000000'").count());
    } finally {
      spark.conf().unset("spark.sql.sources.partitionColumnTypeInference.enabled");
    }

    // appending takes the directories over into the log's first version, with their values
    spark.createDataFrame(List.of(RowFactory.create(1000L, 1.0, 5L, Date.valueOf("2026-11-09"), "e")),
        df.schema()).write().format("lazyq").mode(SaveMode.Append).save(table.toString());
    Snapshot s = snapshot(table.toString(), new Configuration());
    assertEquals(List.of("n", "day", "s"), s.metadata().partitionColumns());
    assertEquals(5, s.files().size());
    assertEquals(expected.size() + 1, lazyq(table).count());
    assertEquals(1, lazyq(table).where("s = 'e'").count());
    assertEquals(100, lazyq(table).where("s = 'a/b'").count());
  }

  @Test
  void anAppendWithOtherPartitionColumnsFailsAndOneWithoutTakesTheTables() throws Exception {
    String table = dir.resolve("mismatch").toString();
    Dataset<Row> df = frame(readings(300), SENSORS);
    df.write().format("lazyq").partitionBy("day").save(table);

    Throwable other = assertThrows(Throwable.class,
        () -> df.write().format("lazyq").partitionBy("sensor").mode(SaveMode.Append).save(table));
    assertTrue(message(other).contains("partitioned by [day]") && message(other).contains("[sensor]"), message(other));
    Throwable more = assertThrows(Throwable.class,
        () -> df.write().format("lazyq").partitionBy("day", "hour").mode(SaveMode.Append).save(table));
    assertTrue(message(more).contains("partitioned by [day]"), message(more));
    // a first write starts the log (version 0) and adds its files (version 1)
    assertEquals(1, new TableLog(table, Storage.of(new Configuration())).latestVersion(), "nothing was committed");

    df.write().format("lazyq").mode(SaveMode.Append).save(table);
    Snapshot s = snapshot(table, new Configuration());
    assertEquals(2, s.version());
    assertTrue(s.files().stream().allMatch(f -> f.path().startsWith("day=")));
    assertEquals(600, lazyq(Path.of(table)).count());
    assertEquals(20, lazyq(Path.of(table)).where("day = date'2026-11-02'").count());

    String flat = dir.resolve("flat").toString();
    Dataset<Row> stringDays = df.selectExpr("id", "sensor", "value", "cast(day as string) as day", "hour");
    stringDays.write().format("lazyq").save(flat);
    Throwable partitioned = assertThrows(Throwable.class,
        () -> stringDays.write().format("lazyq").partitionBy("day").mode(SaveMode.Append).save(flat));
    assertTrue(message(partitioned).contains("partitioned by nothing"), message(partitioned));
    // an overwrite may change the partitioning
    stringDays.write().format("lazyq").partitionBy("sensor").mode(SaveMode.Overwrite).save(flat);
    assertEquals(List.of("sensor"), snapshot(flat, new Configuration()).metadata().partitionColumns());
    assertEquals(300, lazyq(Path.of(flat)).count());
  }

  private static String message(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getMessage()).append(" | ");
    }
    return b.toString();
  }

  /** Appends, a dynamic overwrite of two days and a full overwrite; every version reads as it was written. */
  @Test
  void timeTravelOverPartitionedVersionsAndDynamicOverwrite() throws Exception {
    String table = dir.resolve("travel").toString();
    List<Row> rows = readings(900);
    List<List<Row>> versions = new ArrayList<>();
    List<Row> current = new ArrayList<>(rows.subList(0, 300));
    frame(current, SENSORS).write().format("lazyq").partitionBy("day").save(table);
    versions.add(List.copyOf(current));

    frame(rows.subList(300, 600), SENSORS).write().format("lazyq").mode(SaveMode.Append).save(table);
    current.addAll(rows.subList(300, 600));
    versions.add(List.copyOf(current));

    // replaces days 2026-11-01 and 2026-11-02 only
    List<Row> replacement = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      replacement.add(RowFactory.create(10_000L + i, -1, -1.0, Date.valueOf(FIRST.plusDays(i % 2)), 7));
    }
    frame(replacement, SENSORS).write().format("lazyq").option("partitionOverwriteMode", "dynamic")
        .mode(SaveMode.Overwrite).save(table);
    current.removeIf(x -> x.getDate(3).toLocalDate().isBefore(FIRST.plusDays(2)));
    current.addAll(replacement);
    versions.add(List.copyOf(current));

    // the session's mode applies where the write does not say
    spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    List<Row> day3 = List.of(RowFactory.create(20_000L, 1, 1.0, Date.valueOf(FIRST.plusDays(3)), null));
    try {
      frame(day3, SENSORS).write().format("lazyq").mode(SaveMode.Overwrite).save(table);
    } finally {
      spark.conf().unset("spark.sql.sources.partitionOverwriteMode");
    }
    current.removeIf(x -> x.getDate(3).toLocalDate().equals(FIRST.plusDays(3)));
    current.addAll(day3);
    versions.add(List.copyOf(current));

    frame(rows.subList(600, 900), SENSORS).write().format("lazyq").partitionBy("day").mode(SaveMode.Overwrite)
        .save(table);
    versions.add(List.copyOf(rows.subList(600, 900)));

    List<LogEntry> entries = new TableLog(table, Storage.of(new Configuration())).entries();
    // the first write is two versions: the log's start and the files
    assertEquals(List.of(Operation.CREATE, Operation.APPEND, Operation.APPEND, Operation.OVERWRITE_PARTITIONS,
        Operation.OVERWRITE_PARTITIONS, Operation.OVERWRITE),
        entries.stream().map(e -> e.commitInfo().orElseThrow().operation()).toList());
    for (int v = 0; v < versions.size(); v++) {
      Dataset<Row> df = lazyq(Path.of(table), "versionAsOf", String.valueOf(v + 1)).selectExpr("id", "sensor", "value",
          "day", "hour");
      assertEquals(sorted(versions.get(v)), sorted(df.collectAsList()), "version " + v);
      Date day = Date.valueOf(FIRST.plusDays(1));
      Result r = run(df.where("day = date'" + day + "'"));
      assertEquals(versions.get(v).stream().filter(x -> x.getDate(3).equals(day)).count(), r.rows().size(),
          "version " + v);
      Snapshot s = new TableLog(table, Storage.of(new Configuration())).snapshotAt(v + 1);
      assertEquals(s.files().stream().filter(f -> f.partitionValues().get("day").equals(day.toString())).count(),
          r.metric(FilesRead.NAME), "version " + v);
    }

    // verify and vacuum see the partition directories
    assertTrue(TableCheck.check(Path.of(table)).intact());
    assertEquals(entries.get(entries.size() - 1).actions().stream().filter(AddFile.class::isInstance).count(),
        TableCheck.check(Path.of(table)).files().size());
    Storage storage = Storage.of(new Configuration());
    TableVacuum expired = TableVacuum.plan(table, storage, Duration.ofDays(1), Duration.ZERO);
    Set<String> removedEver = new TreeSet<>();
    for (int v = 1; v < versions.size(); v++) {
      new TableLog(table, Storage.of(new Configuration())).snapshotAt(v).files().forEach(f -> removedEver.add(f.path()));
    }
    Set<String> vacuumed = expired.leftovers().stream().map(TableVacuum.Leftover::name)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(removedEver, vacuumed);
    expired.delete(storage);
    assertEquals(sorted(versions.get(versions.size() - 1)), sorted(lazyq(Path.of(table))
        .selectExpr("id", "sensor", "value", "day", "hour").collectAsList()));
  }

  @Test
  void theLogKeepsNullPartitionValuesAndRefusesPathsOutsideTheTable() throws Exception {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put("day", null);
    values.put("s", "a/b");
    AddFile add = new AddFile("day=" + PartitionPaths.NULL_VALUE + "/s=a%2Fb/part-0.lzq", 3, 40, values, 7);
    Metadata meta = Metadata.of(new io.lazyq.format.Schema(List.of(new io.lazyq.format.Field("v",
        io.lazyq.format.ColumnType.FLOAT64, true, io.lazyq.format.ColumnEncoding.PLAIN)), Map.of()))
        .partitionedBy(List.of(new Column("day", "date", true), new Column("s", "utf8", true)));
    List<LogAction> actions = List.of(Protocol.CURRENT, meta, add);
    String json = new String(LogCodec.encode(0, actions), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(actions, LogCodec.decode("t", 0, "e", json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(values, PartitionPaths.values(add.path()));
    assertEquals(List.of("day", "s"), meta.partitionSchema().stream().map(Column::name).toList());
    for (String bad : List.of("../x.lzq", "day=1/../x.lzq", "_x=1/y.lzq", "nodir/y.lzq", "/abs.lzq", "day=1//y.lzq",
        "day=1/.hidden", "a\\b.lzq")) {
      String damaged = json.replace(add.path(), bad.replace("\\", "\\\\"));
      LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> LogCodec.decode("t", 0, "e",
          damaged.getBytes(java.nio.charset.StandardCharsets.UTF_8)), bad);
      assertTrue(e.getMessage().contains("invalid file"), e.getMessage());
    }
  }

  /** Spark's dynamic partition pruning: the day that a filtered dimension joins on prunes the fact table's files. */
  @Test
  void aJoinPrunesTheFactTablesFilesAtRuntime() throws Exception {
    String table = dir.resolve("fact").toString();
    List<Row> rows = readings(30_000);
    frame(rows, SENSORS).write().format("lazyq").partitionBy("day").save(table);
    spark.read().format("lazyq").load(table).createOrReplaceTempView("fact");
    Date day = Date.valueOf(FIRST.plusDays(4));
    // a dimension in files, so that its filter stays in the plan for Spark to prune with
    String dim = dir.resolve("dim").toString();
    spark.createDataFrame(List.of(RowFactory.create(day, "x"), RowFactory.create(Date.valueOf(FIRST.plusDays(5)), "y")),
        new StructType().add("day", DataTypes.DateType).add("tag", DataTypes.StringType)).write().parquet(dim);
    spark.read().parquet(dim).createOrReplaceTempView("dim");
    Dataset<Row> joined = spark.sql("SELECT f.id FROM fact f JOIN dim d ON f.day = d.day WHERE d.tag = 'x'");
    Result r = run(joined);
    String plan = ((org.apache.spark.sql.classic.Dataset<?>) joined).queryExecution().executedPlan().toString();
    assertTrue(plan.contains("dynamicpruning"), plan);
    assertEquals(rows.stream().filter(x -> x.getDate(3).equals(day)).map(x -> x.getLong(0)).sorted().toList(),
        r.rows().stream().map(x -> x.getLong(0)).sorted().toList());
    List<AddFile> files = snapshot(table, new Configuration()).files();
    long dayFiles = files.stream().filter(f -> f.partitionValues().get("day").equals(day.toString())).count();
    assertEquals(dayFiles, r.metric(FilesRead.NAME), r.metrics().toString());
    assertEquals(files.size() - dayFiles, r.metric(FilesPruned.NAME), r.metrics().toString());

    // a catalog table over the directory prunes alike
    spark.sql("CREATE TABLE fact_table USING lazyq LOCATION '" + table + "'");
    try {
      Result t = sql("SELECT count(*) FROM fact_table WHERE day = date'" + day + "'");
      assertEquals(1000L, t.rows().get(0).getLong(0));
      assertEquals(dayFiles, t.metric(FilesRead.NAME), t.metrics().toString());
    } finally {
      spark.sql("DROP TABLE fact_table");
    }
  }
}
