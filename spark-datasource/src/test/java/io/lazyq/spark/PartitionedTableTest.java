package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.spark.metrics.FilesPruned;
import io.lazyq.spark.metrics.FilesRead;
import io.lazyq.storage.Storage;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;

class PartitionedTableTest extends SparkTestBase {

  @Test
  void smoke() throws Exception {
    String path = dir.resolve("smoke").toString();
    Dataset<Row> df = spark.range(0, 3000).selectExpr("id", "cast(id as double) * 0.5 as v",
        "date_add(date'2026-11-01', cast(id % 30 as int)) as day");
    df.write().format("lazyq").partitionBy("day").save(path);
    Snapshot s = new TableLog(path, Storage.of(new Configuration())).snapshot();
    System.out.println(s.metadata());
    s.files().stream().limit(3).forEach(System.out::println);
    Dataset<Row> all = spark.read().format("lazyq").load(path);
    all.printSchema();
    Dataset<Row> one = all.where("day = date'2026-11-15'");
    Result r = run(one);
    System.out.println(r.rows().size() + " " + r.metrics());
    assertEquals(100, r.rows().size());
  }
}
