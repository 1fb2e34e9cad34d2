/** Operations over tensor files of either format: opening by magic, and quantizing one into GGUF. */
package io.lazyq.tensorfiles;
