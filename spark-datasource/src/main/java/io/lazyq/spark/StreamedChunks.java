package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import io.lazyq.storage.Storage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.BitSet;

/**
 * Chunks of one file read front to back from a sequential stream into one reused buffer; chunks
 * that the plan skipped are read past but not decoded. A chunk's views end with the next chunk.
 */
final class StreamedChunks implements ChunkSource {
  private final Storage storage;
  private final ChunkGroup group;
  private final int[] columns;
  private final BitSet wanted = new BitSet();
  private LzqStream stream;
  private int left;

  StreamedChunks(Storage storage, ChunkGroup group, int[] columns) {
    this.storage = storage;
    this.group = group;
    this.columns = columns;
    for (int c : group.chunks()) {
      wanted.set(c);
    }
    this.left = group.size();
  }

  @Override
  public OpenChunk next() throws IOException {
    if (stream == null) {
      String path = group.files()[group.fileOf()[0]];
      stream = LzqStream.open(new BufferedInputStream(storage.input(path).newStream(), 1 << 16), path,
          StreamOptions.DEFAULTS);
    }
    while (left > 0 && stream.next()) {
      if (wanted.get(stream.chunk().ordinal())) {
        left--;
        ColumnView[] views = new ColumnView[columns.length];
        for (int i = 0; i < columns.length; i++) {
          views[i] = stream.column(columns[i]);
        }
        return new OpenChunk(stream.chunk().rows(), views);
      }
    }
    return null;
  }

  @Override
  public long bytesMapped() {
    return 0;
  }

  @Override
  public long bytesStreamed() {
    return stream == null ? 0 : stream.position();
  }

  @Override
  public void close() throws IOException {
    if (stream != null) {
      stream.close();
    }
  }
}
