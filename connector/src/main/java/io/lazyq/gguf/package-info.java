/** GGUF (llama.cpp) files: a lazy reader and a streaming writer. */
package io.lazyq.gguf;
