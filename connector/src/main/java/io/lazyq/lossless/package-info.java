/**
 * Lightweight lossless encodings of fixed-width columns (int32, int64, timestamps, float32,
 * float64), chosen per block of {@value io.lazyq.lossless.BlockFormat#BLOCK_VALUES} values:
 * decimal floats as integers, frame of reference, delta, run length, dictionary, and byte-stream
 * split with zstd for what is left. The layout ({@link io.lazyq.lossless.BlockFormat}), the writer
 * ({@link io.lazyq.lossless.BlockEncoder}) and the reader ({@link io.lazyq.lossless.BlockDecoder})
 * share one definition of every block; any bit pattern round-trips exactly.
 */
package io.lazyq.lossless;
