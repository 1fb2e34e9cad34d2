package io.lazyq.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.execution.SparkPlan;

/**
 * A dataset's executed plan. Spark 3.5 keeps the query execution on {@code Dataset}; Spark 4 on
 * the classic {@code Dataset} (the spark-4 source root).
 */
final class ExecutedPlans {
  private ExecutedPlans() {}

  static SparkPlan of(Dataset<?> executed) {
    return executed.queryExecution().executedPlan();
  }
}
