package io.lazyq.format;

/**
 * How a {@link LzqStream} treats its input.
 *
 * @param tail stop quietly after the last complete chunk when the input ends early, instead of
 *     failing: for reading a file that is still being written
 * @param verifyChecksums check each frame's CRC32C before its chunk is handed out
 */
public record StreamOptions(boolean tail, boolean verifyChecksums) {
  public static final StreamOptions DEFAULTS = new StreamOptions(false, true);

  public StreamOptions withTail(boolean stopAtLastCompleteChunk) {
    return new StreamOptions(stopAtLastCompleteChunk, verifyChecksums);
  }
}
