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
import scala.jdk.javaapi.CollectionConverters;

/** The lazyq metrics of an executed query, summed over its lazyq scans. */
public final class ScanMetrics {
  private ScanMetrics() {}

  /** Metric name to value, for a dataset that has been executed (collected, counted, written). */
  public static Map<String, Long> of(Dataset<?> executed) {
    SparkPlan plan = ((org.apache.spark.sql.classic.Dataset<?>) executed).queryExecution().executedPlan();
    Map<String, Long> totals = new TreeMap<>();
    for (BatchScanExec scan : lazyqScans(plan, new ArrayList<>())) {
      for (CustomMetric m : scan.scan().supportedCustomMetrics()) {
        scala.Option<SQLMetric> metric = scan.metrics().get(m.name());
        if (metric.isDefined()) {
          totals.merge(m.name(), metric.get().value(), Long::sum);
        }
      }
    }
    return totals;
  }

  private static List<BatchScanExec> lazyqScans(SparkPlan plan, List<BatchScanExec> found) {
    if (plan instanceof AdaptiveSparkPlanExec) {
      return lazyqScans(((AdaptiveSparkPlanExec) plan).executedPlan(), found);
    }
    if (plan instanceof QueryStageExec) {
      return lazyqScans(((QueryStageExec) plan).plan(), found);
    }
    if (plan instanceof BatchScanExec && ((BatchScanExec) plan).scan() instanceof LazyQScan) {
      found.add((BatchScanExec) plan);
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      lazyqScans(child, found);
    }
    for (SparkPlan sub : CollectionConverters.asJava(plan.subqueries())) {
      lazyqScans(sub, found);
    }
    return found;
  }
}
