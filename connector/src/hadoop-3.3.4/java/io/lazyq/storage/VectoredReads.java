package io.lazyq.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Byte ranges read one positioned read after another, on Hadoop 3.3.4 (Spark 3.5), which has no
 * vectored read (3.3.5 adds it; see the other hadoop-* roots): one request per range, in order.
 */
final class VectoredReads {
  /** Hadoop's default minimum seek for vectored reads, so that ranges merge as they would there. */
  private static final int MIN_SEEK = 4096;

  private VectoredReads() {}

  /** The gap below which the reader would rather read through than seek. */
  static int minSeek(FSDataInputStream in) {
    return MIN_SEEK;
  }

  /**
   * Reads {@code ranges} now; one completed future per range, in order. A range that fails
   * gives its buffer back through {@code release} and fails its future; the others still read.
   */
  static List<CompletableFuture<ByteBuffer>> start(FSDataInputStream in, List<ByteRange> ranges,
      IntFunction<ByteBuffer> allocate, Consumer<ByteBuffer> release) throws IOException {
    List<CompletableFuture<ByteBuffer>> data = new ArrayList<>(ranges.size());
    for (ByteRange r : ranges) {
      ByteBuffer b = allocate.apply(Math.toIntExact(r.length()));
      try {
        if (b.hasArray()) {
          in.readFully(r.offset(), b.array(), b.arrayOffset() + b.position(), b.remaining());
        } else {
          byte[] bytes = new byte[b.remaining()];
          in.readFully(r.offset(), bytes);
          b.duplicate().put(bytes);
        }
        data.add(CompletableFuture.completedFuture(b));
      } catch (IOException | RuntimeException e) {
        release.accept(b);
        data.add(CompletableFuture.failedFuture(e));
      }
    }
    return data;
  }
}
