package io.lazyq.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;

/** The lazyq metrics of an executed query, summed over its lazyq scans. */
public final class ScanMetrics {
  private ScanMetrics() {}

  /** Metric name to value, for a dataset that has been executed (collected, counted, written). */
  public static Map<String, Long> of(Dataset<?> executed) {
    Map<String, Long> totals = new TreeMap<>();
    for (BatchScanExec scan : nodes(executed, BatchScanExec.class)) {
      if (!(scan.scan() instanceof LazyQScan) && !(scan.scan() instanceof AggregateScan)) {
        continue;
      }
      for (CustomMetric m : scan.scan().supportedCustomMetrics()) {
        scala.Option<SQLMetric> metric = scan.metrics().get(m.name());
        if (metric.isDefined()) {
          totals.merge(m.name(), metric.get().value(), Long::sum);
        }
      }
    }
    return totals;
  }

  /** The nodes of a type in an executed query's final plan, through adaptive query stages. */
  public static <T extends SparkPlan> List<T> nodes(Dataset<?> executed, Class<T> type) {
    return collect(ExecutedPlans.of(executed), type, new ArrayList<>());
  }

  private static <T extends SparkPlan> List<T> collect(SparkPlan plan, Class<T> type, List<T> found) {
    if (plan instanceof AdaptiveSparkPlanExec) {
      return collect(((AdaptiveSparkPlanExec) plan).executedPlan(), type, found);
    }
    if (plan instanceof QueryStageExec) {
      return collect(((QueryStageExec) plan).plan(), type, found);
    }
    if (type.isInstance(plan)) {
      found.add(type.cast(plan));
    }
    for (SparkPlan child : ScalaCollections.list(plan.children())) {
      collect(child, type, found);
    }
    for (SparkPlan sub : ScalaCollections.list(plan.subqueries())) {
      collect(sub, type, found);
    }
    return found;
  }
}
