package io.lazyq.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileRange;

/**
 * Byte ranges read by Hadoop's vectored read, on Hadoop 3.4.2 and later: the stream hands back
 * through {@code release} the buffers of a read that failed. (Source root of its own: Hadoop 3.3.4
 * has no vectored read, 3.3.5 to 3.4.1 one without {@code release}; see the other hadoop-* roots.)
 */
final class VectoredReads {
  private VectoredReads() {}

  /** The gap below which the stream would rather read through than seek. */
  static int minSeek(FSDataInputStream in) {
    return in.minSeekForVectorReads();
  }

  /** Starts reading {@code ranges}; one future per range, in order. */
  static List<CompletableFuture<ByteBuffer>> start(FSDataInputStream in, List<ByteRange> ranges,
      IntFunction<ByteBuffer> allocate, Consumer<ByteBuffer> release) throws IOException {
    List<FileRange> fileRanges = ranges.stream()
        .map(r -> FileRange.createFileRange(r.offset(), Math.toIntExact(r.length()))).toList();
    in.readVectored(fileRanges, allocate, release);
    return fileRanges.stream().map(FileRange::getData).toList();
  }
}
