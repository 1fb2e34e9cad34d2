/**
 * Block codecs: every ggml block type, bit for bit as ggml decodes it, and the sensor codecs
 * (affine and error-bounded). Each block layout is defined once, in {@code QuantType}, and used by
 * every reader, writer and kernel.
 */
package io.lazyq.quant;
