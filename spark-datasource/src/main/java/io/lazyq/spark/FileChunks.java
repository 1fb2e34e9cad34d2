package io.lazyq.spark;

import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ChunkFrames;
import io.lazyq.storage.FileVersion;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The complete chunks of one file that a stream reads: found from frames in a local file that may
 * still grow, or from the footer of a finished one.
 *
 * @param location a local path or a URI
 * @param version the version a task opens a remote file by, as the stream saw it; null where unknown
 * @param chunks the complete chunks, in order
 * @param finished whether the footer is written: the file will not change
 */
record FileChunks(String location, FileVersion version, List<ChunkDescriptor> chunks, boolean finished) {
  FileChunks {
    chunks = List.copyOf(chunks);
  }

  static FileChunks of(String location, ChunkFrames frames) {
    return new FileChunks(location, null, frames.descriptors(), frames.finished());
  }

  /** A file whose footer was read. */
  static FileChunks of(DataFile file) {
    return new FileChunks(file.location(), file.version(), file.metadata().index().chunks(), true);
  }

  int count() {
    return chunks.size();
  }

  /** Bytes of chunk frames of chunk {@code ordinal}: what {@code maxBytesPerTrigger} counts. */
  long frameBytes(int ordinal) {
    return chunks.get(ordinal).frameBytes();
  }

  /** The input partition of chunks {@code from} (inclusive) to {@code to} (exclusive). */
  ChunkGroup group(int from, int to) {
    if (to > count()) {
      throw new IllegalStateException(location + " holds " + count() + " complete chunks; the offset says " + to
          + ": the file was replaced or truncated");
    }
    int[] rows = IntStream.range(from, to).map(c -> chunks.get(c).rows()).toArray();
    return new ChunkGroup(new String[] {location}, new int[to - from], IntStream.range(from, to).toArray(), rows,
        new FileVersion[] {version}, null);
  }
}
