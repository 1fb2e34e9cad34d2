/**
 * The {@code lazyq} Spark DataSource V2: batch and streaming scans with column pruning, chunk
 * skipping and per-batch dequantization, and the write path that publishes a table atomically.
 */
package io.lazyq.spark;
