package io.lazyq;

import java.io.IOException;

/**
 * Input that is not a well-formed LazyQ, GGUF or Safetensors file: truncated, corrupt or hostile.
 *
 * <p>Every reader throws this, and only this, for bad input. The message names the source (a file
 * path, or {@code <stdin>}), the byte offset at which the problem was found, and what is wrong, so
 * that one line on a terminal is enough to locate it.
 */
public final class LazyQFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Offset value meaning "not tied to one position". */
  public static final long NO_OFFSET = -1;

  private final String source;
  private final long offset;
  private final String problem;

  public LazyQFormatException(String source, long offset, String problem) {
    this(source, offset, problem, null);
  }

  public LazyQFormatException(String source, long offset, String problem, Throwable cause) {
    super(format(source, offset, problem), cause);
    this.source = source;
    this.offset = offset;
    this.problem = problem;
  }

  /** The file or stream that held the bad input, or {@code null} where the caller did not know it. */
  public String source() {
    return source;
  }

  /** The absolute byte offset of the problem in {@link #source()}, or {@link #NO_OFFSET}. */
  public long offset() {
    return offset;
  }

  /** What is wrong, without the source and offset. */
  public String problem() {
    return problem;
  }

  /**
   * The same problem, placed in a file: codecs and parsers that see only a region report offsets
   * relative to it, and the reader that owns the region rebases them.
   */
  public LazyQFormatException locate(String source, long regionOffset) {
    long absolute = offset == NO_OFFSET ? regionOffset : regionOffset + offset;
    LazyQFormatException located = new LazyQFormatException(source, absolute, problem, getCause());
    located.setStackTrace(getStackTrace());
    return located;
  }

  private static String format(String source, long offset, String problem) {
    String where = source == null ? "<unknown source>" : source;
    return offset == NO_OFFSET ? where + ": " + problem : where + ": at offset " + offset + ": " + problem;
  }
}
