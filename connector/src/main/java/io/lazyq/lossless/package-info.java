/**
 * Lightweight encodings of fixed-width columns (int32, int64, timestamps, float32, float64),
 * chosen per block of {@value io.lazyq.lossless.BlockFormat#BLOCK_VALUES} values: decimal floats
 * as integers, frame of reference, delta, run length, dictionary, integer codes with zstd, and
 * byte-stream split with zstd for what is left; or, where it is smaller by enough, one stream of a
 * whole region's integers under zstd or a context-modelling rANS coder
 * ({@link io.lazyq.lossless.RegionStream}, {@link io.lazyq.lossless.ContextRans}). The layout ({@link io.lazyq.lossless.BlockFormat}),
 * the writer ({@link io.lazyq.lossless.BlockEncoder}) and the reader
 * ({@link io.lazyq.lossless.BlockDecoder}) share one definition of every block; any bit pattern
 * round-trips exactly, unless the writer was given an error bound, under which floats may also be
 * quantized codes and every value decodes within the bound.
 */
package io.lazyq.lossless;
