package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import io.lazyq.lazy.LzqFile;
import java.io.IOException;
import java.nio.file.Paths;

/**
 * Chunks read from mapped files: each chunk maps only the selected columns, and unmaps them (by
 * closing the views) when the reader moves on. A file is opened once for its run of chunks.
 */
final class MappedChunks implements ChunkSource {
  private final ChunkGroup group;
  private final int[] columns;
  private final ColumnView[] views;
  private LzqFile file;
  private int fileIndex = -1;
  private int position = -1;
  private long closedFilesBytes;

  MappedChunks(ChunkGroup group, int[] columns) {
    this.group = group;
    this.columns = columns;
    this.views = new ColumnView[columns.length];
  }

  @Override
  public boolean next() throws IOException {
    releaseViews();
    if (++position >= group.size()) {
      closeFile();
      return false;
    }
    if (columns.length == 0) {
      return true; // count(*): the planned row counts come from the index; no file is opened
    }
    int f = group.fileOf()[position];
    if (f != fileIndex) {
      closeFile();
      file = LzqFile.open(Paths.get(group.files()[f]));
      fileIndex = f;
    }
    int chunk = group.chunks()[position];
    if (file.index().chunk(chunk).rows() != group.rows()[position]) {
      throw new IOException(file.path() + " changed since the scan was planned: chunk " + chunk + " has "
          + file.index().chunk(chunk).rows() + " rows, not " + group.rows()[position]);
    }
    for (int i = 0; i < columns.length; i++) {
      views[i] = file.column(chunk, columns[i]);
    }
    return true;
  }

  @Override
  public int rows() {
    return group.rows()[position];
  }

  @Override
  public ColumnView column(int i) {
    return views[i];
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
    releaseViews();
    closeFile();
    position = group.size();
  }

  private void releaseViews() throws IOException {
    for (int i = 0; i < views.length; i++) {
      if (views[i] != null) {
        try {
          views[i].close();
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        } finally {
          views[i] = null;
        }
      }
    }
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
