package io.lazyq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Converts inputs that {@code lazyq convert} does not stream itself (Parquet, JSON, ORC, or CSV on
 * request) into a directory of {@code .lzq} part files. A module provides it through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.lazyq.cli.ConvertEngine}), so that
 * this module needs no engine of its own.
 */
public interface ConvertEngine {
  /**
   * Converts the input and returns the rows written.
   *
   * @param input a file, directory or glob
   * @param format csv, parquet, json or orc
   * @param writeOptions the {@code lazyq} write options: quantize, errorBound, lossless, chunkRows
   * @param err where progress goes, when it is a terminal
   */
  long convert(String input, String format, Path output, Map<String, String> writeOptions, PrintWriter err)
      throws Exception;
}
