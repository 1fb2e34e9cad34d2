/**
 * LazyQ files as Apache Arrow: zero-copy vectors over mapped chunks, per-batch dequantization,
 * an {@code ArrowReader} per file, and export as IPC files, streams and the C Data Interface.
 */
package io.lazyq.arrow;
