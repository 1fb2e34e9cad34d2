package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqCheck;
import io.lazyq.format.LzqFile;
import io.lazyq.storage.MappingStats;
import io.lazyq.storage.Storage;
import java.io.IOException;

/**
 * Chunks read by position: each chunk maps (a local file) or fetches in one vectored read (a
 * remote one) only the selected columns, and its views release them when the reader closes it. A
 * file is opened once for its run of chunks; a region outlives the file, so a chunk stays readable
 * after the source has moved to the next file.
 */
final class MappedChunks implements ChunkSource {
  private final Storage storage;
  private final ChunkGroup group;
  private final int[] columns;
  private final boolean appending;
  private final boolean verify;
  /** Read by the consumer thread for metrics while a prefetch thread opens files. */
  private volatile LzqFile file;
  private int fileIndex = -1;
  private int position = -1;
  private long closedFilesBytes;
  /** Remote fetches of the files already closed. */
  private final MappingStats closedFiles = new MappingStats();

  /**
   * @param appending whether the files may still be growing: their chunks are found from frames, not the footer
   * @param verify whether each chunk is checked whole ({@link LzqCheck#checkChunk}) before it is read
   */
  MappedChunks(Storage storage, ChunkGroup group, int[] columns, boolean appending, boolean verify) {
    this.storage = storage;
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
      String location = group.files()[f];
      file = appending && Storage.isLocal(location) ? LzqFile.openAppending(Storage.localPath(location))
          : LzqFile.open(storage.input(location, group.versions()[f]), true);
      fileIndex = f;
    }
    int chunk = group.chunks()[position];
    if (chunk >= file.index().size() || file.index().chunk(chunk).rows() != rows) {
      throw new IOException(file.location() + " changed since the scan was planned: chunk " + chunk + " is not the "
          + rows + "-row chunk it was");
    }
    if (verify) {
      LzqCheck.checkChunk(file, chunk);
    }
    return new OpenChunk(rows, file.columns(chunk, columns));
  }

  @Override
  public long bytesMapped() {
    return closedFilesBytes + (file == null ? 0 : file.mappingStats().bytesMapped());
  }

  @Override
  public MappingStats storageStats() {
    MappingStats all = new MappingStats();
    all.addFetches(closedFiles);
    LzqFile current = file;
    if (current != null) {
      all.addFetches(current.mappingStats());
    }
    return all;
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
      closedFiles.addFetches(file.mappingStats());
      LzqFile f = file;
      file = null;
      fileIndex = -1;
      f.close();
    }
  }
}
