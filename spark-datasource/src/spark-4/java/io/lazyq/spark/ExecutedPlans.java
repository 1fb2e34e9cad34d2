package io.lazyq.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.execution.SparkPlan;

/**
 * A dataset's executed plan. Spark 4 keeps the query execution on the classic (not Connect)
 * {@code Dataset}; Spark 3.5 on {@code Dataset} itself (the spark-3.5 source root).
 */
final class ExecutedPlans {
  private ExecutedPlans() {}

  static SparkPlan of(Dataset<?> executed) {
    return ((org.apache.spark.sql.classic.Dataset<?>) executed).queryExecution().executedPlan();
  }
}
