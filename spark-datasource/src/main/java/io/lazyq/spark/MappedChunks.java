package io.lazyq.spark;

import io.lazyq.Closeables;
import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqCheck;
import io.lazyq.format.LzqFile;
import java.io.IOException;
import java.nio.file.Paths;

/**
 * Chunks read from mapped files: each chunk maps only the selected columns, and its views unmap
 * them when the reader closes it. A file is opened once for its run of chunks; a mapping outlives
 * the file's channel, so a chunk stays readable after the source has moved to the next file.
 */
final class MappedChunks implements ChunkSource {
  private final ChunkGroup group;
  private final int[] columns;
  private final boolean appending;
  private final boolean verify;
  private LzqFile file;
  private int fileIndex = -1;
  private int position = -1;
  private long closedFilesBytes;

  /**
   * @param appending whether the files may still be growing: their chunks are found from frames, not the footer
   * @param verify whether each chunk is checked whole ({@link LzqCheck#checkChunk}) before it is read
   */
  MappedChunks(ChunkGroup group, int[] columns, boolean appending, boolean verify) {
    this.group = group;
    this.columns = columns;
    this.appending = appending;
    this.verify = verify;
  }

  @Override
  public OpenChunk next() throws IOException {
    if (++position >= group.size()) {
      closeFile();
      return null;
    }
    int rows = group.rows()[position];
    ColumnView[] views = new ColumnView[columns.length];
    if (columns.length == 0 && !verify) {
      return new OpenChunk(rows, views); // count(*): the planned row counts come from the index; no file is opened
    }
    int f = group.fileOf()[position];
    if (f != fileIndex) {
      closeFile();
      file = appending ? LzqFile.openAppending(Paths.get(group.files()[f])) : LzqFile.open(Paths.get(group.files()[f]));
      fileIndex = f;
    }
    int chunk = group.chunks()[position];
    if (chunk >= file.index().size() || file.index().chunk(chunk).rows() != rows) {
      throw new IOException(file.path() + " changed since the scan was planned: chunk " + chunk + " is not the "
          + rows + "-row chunk it was");
    }
    if (verify) {
      LzqCheck.checkChunk(file, chunk);
    }
    OpenChunk open = new OpenChunk(rows, views);
    try {
      for (int i = 0; i < columns.length; i++) {
        views[i] = file.column(chunk, columns[i]);
      }
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, open);
      throw e;
    }
    return open;
  }

  @Override
  public long bytesMapped() {
    return closedFilesBytes + (file == null ? 0 : file.mappingStats().bytesMapped());
  }

  @Override
  public long bytesStreamed() {
    return 0;
  }

  @Override
  public void close() throws IOException {
    closeFile();
    position = group.size();
  }

  private void closeFile() throws IOException {
    if (file != null) {
      closedFilesBytes += file.mappingStats().bytesMapped();
      LzqFile f = file;
      file = null;
      fileIndex = -1;
      f.close();
    }
  }
}
