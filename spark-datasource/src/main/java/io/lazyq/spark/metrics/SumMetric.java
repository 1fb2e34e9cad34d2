package io.lazyq.spark.metrics;

import org.apache.spark.sql.connector.metric.CustomSumMetric;

/** A summed metric with a fixed name; Spark creates subclasses by their no-argument constructor. */
abstract class SumMetric extends CustomSumMetric {
  private final String name;
  private final String description;

  SumMetric(String name, String description) {
    this.name = name;
    this.description = description;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }
}
