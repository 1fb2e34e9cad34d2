/** The tensor model that GGUF and Safetensors share: tensors, element types, metadata, lazy row views. */
package io.lazyq.tensor;
