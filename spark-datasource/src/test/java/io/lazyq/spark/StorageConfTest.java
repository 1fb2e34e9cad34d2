package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Scans under the same Hadoop configuration share one broadcast of it; any difference in its
 * entries (the options' {@code fs.*} keys, the context's configuration) makes a new one that
 * carries the difference.
 */
class StorageConfTest extends SparkTestBase {
  @Test
  void scansWithTheSameEntriesShareOneBroadcast() {
    Broadcast<StorageConf> a = StorageConf.broadcast(StorageConf.forSession(Map.of()));
    assertSame(a, StorageConf.broadcast(StorageConf.forSession(Map.of())));

    Broadcast<StorageConf> withOption = StorageConf.broadcast(StorageConf.forSession(Map.of("fs.lazyq.test.option", "1")));
    assertNotSame(a, withOption);
    assertEquals("1", withOption.value().hadoop().get("fs.lazyq.test.option"));
    assertNull(a.value().hadoop().get("fs.lazyq.test.option"));
    assertSame(withOption, StorageConf.broadcast(StorageConf.forSession(Map.of("fs.lazyq.test.option", "1"))));
    assertNotSame(withOption, StorageConf.broadcast(StorageConf.forSession(Map.of("fs.lazyq.test.option", "2"))));

    spark.sparkContext().hadoopConfiguration().set("fs.lazyq.test.context", "3");
    try {
      Broadcast<StorageConf> changed = StorageConf.broadcast(StorageConf.forSession(Map.of()));
      assertNotSame(a, changed);
      assertEquals("3", changed.value().hadoop().get("fs.lazyq.test.context"));
    } finally {
      spark.sparkContext().hadoopConfiguration().unset("fs.lazyq.test.context");
    }
    assertSame(a, StorageConf.broadcast(StorageConf.forSession(Map.of())));
  }

  @Test
  void repeatedScansReadTheirFilesThroughTheSharedBroadcast() {
    StructType schema = new StructType().add("x", DataTypes.IntegerType, false);
    String out = dir.resolve("shared").toString();
    spark.createDataFrame(List.of(RowFactory.create(1), RowFactory.create(2), RowFactory.create(3)), schema)
        .write().format("lazyq").save(out);
    for (int i = 0; i < 3; i++) {
      List<Row> sum = lazyq(out, "aggregatePushdown", i % 2 == 0 ? "true" : "false").selectExpr("sum(x)").collectAsList();
      assertEquals(6L, sum.get(0).getLong(0));
    }
  }
}
