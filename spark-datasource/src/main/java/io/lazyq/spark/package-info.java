/**
 * The {@code lazyq} Spark DataSource V2: batch and streaming scans with column pruning, chunk
 * skipping, per-batch dequantization and aggregates answered in the scan, and the
 * write path that publishes a table atomically.
 */
package io.lazyq.spark;
