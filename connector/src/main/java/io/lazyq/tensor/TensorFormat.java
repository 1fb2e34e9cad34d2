package io.lazyq.tensor;

/** The tensor file formats LazyQ reads and writes. */
public enum TensorFormat {
  GGUF,
  SAFETENSORS
}
