package io.lazyq.spark.metrics;

import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** One metric's value reported by a task or by the driver. */
public record TaskValue(String name, long value) implements CustomTaskMetric {}
