/** The custom metrics a {@code lazyq} scan reports to the Spark UI, one small class each. */
package io.lazyq.spark.metrics;
