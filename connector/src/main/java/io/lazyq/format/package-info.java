/**
 * The {@code .lzq} format: its layout and constants, the writer, and the two readers that mirror
 * it, {@code LzqFile} (random access over mapped chunks, lazy per column) and {@code LzqStream}
 * (front to back over any stream, one chunk in memory). Frames and footers are checksummed and
 * versioned; every length is checked against the bytes there are before it is used. A column
 * chunk's lossless stage ({@code LosslessStage}: zstd, block encodings) compresses one column;
 * a derived chunk ({@code Derivation}, chosen by {@code DerivedColumns}) stores a column as a
 * function of others in its chunk.
 */
package io.lazyq.format;
