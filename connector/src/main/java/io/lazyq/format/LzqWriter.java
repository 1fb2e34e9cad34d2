package io.lazyq.format;

import io.lazyq.Closeables;
import io.lazyq.WriteState;
import io.lazyq.storage.LocalOutputFile;
import io.lazyq.storage.OutputFile;
import io.lazyq.storage.PendingFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes a {@code .lzq} file row by row, holding at most one chunk in memory.
 *
 * <p>Set each column of a row with the typed setters, then call {@link #endRow()}; a column left
 * unset is null. {@link #commit()} writes the footer and publishes; {@link #close()} without it
 * aborts. Written to a path, the file appears under its final name only when {@code commit()}
 * succeeds, so a body that throws, or a crash, leaves no file behind, as {@code Files.write}
 * publishes nothing half-written:
 *
 * <pre>{@code
 * try (LzqWriter w = LzqWriter.create(path, schema, WriterOptions.DEFAULTS)) {
 *   w.setLong(0, ts).setString(1, "s-01").setFloat(2, 1013.25f).endRow();
 *   w.commit();
 * }
 * }</pre>
 *
 * <p>A failed setter, {@code endRow()} or chunk write fails the writer: {@code commit()} then
 * refuses, as it refuses a row begun and not ended, so that no column can hold a value that its
 * row's other columns lack.
 */
public final class LzqWriter implements Closeable {
  private static final ByteBuffer ZEROS = ByteBuffer.allocate(FileLayout.ALIGNMENT);

  private final Schema schema;
  private final WriterOptions options;
  private final PendingFile file;
  private final WritableByteChannel out;
  /** The channel of an appendable file, which the writer owns and closes; null otherwise. */
  private final FileChannel appended;
  private final ColumnBuilder[] columns;
  private final boolean[] set;
  private final List<ChunkDescriptor> chunks = new ArrayList<>();
  private long position;
  private long rowCount;
  /** Rows buffered for the chunk being built. */
  private int pendingRows;
  private final WriteState state = new WriteState();

  private LzqWriter(Schema schema, WriterOptions options, PendingFile file, WritableByteChannel out,
      FileChannel appended) throws IOException {
    this.schema = schema;
    this.options = options;
    this.file = file;
    this.out = out;
    this.appended = appended;
    this.columns = new ColumnBuilder[schema.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new ColumnBuilder(schema.field(i));
    }
    this.set = new boolean[schema.size()];
    write(FileLayout.encodeFileHeader(appended != null ? FileLayout.FLAG_APPENDABLE : 0));
    writeFrame(FrameType.SCHEMA, 0, List.of(MetadataCodec.encodeSchema(schema)));
  }

  /** Writes {@code target} atomically: it appears, complete, when {@link #commit()} returns. */
  public static LzqWriter create(Path target, Schema schema, WriterOptions options) throws IOException {
    return create(new LocalOutputFile(target), schema, options);
  }

  /**
   * Writes {@code target}, local or remote, streaming: it appears, complete, when {@link #commit()}
   * returns, and not at all if the writer is closed without one.
   */
  public static LzqWriter create(OutputFile target, Schema schema, WriterOptions options) throws IOException {
    PendingFile file = target.create();
    try {
      return new LzqWriter(schema, options, file, file.channel(), null);
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, file::abort);
      throw e;
    }
  }

  /** Writes to a stream (a pipe, a socket), which the writer does not close. */
  public static LzqWriter toStream(OutputStream stream, Schema schema, WriterOptions options) throws IOException {
    return new LzqWriter(schema, options, null, Channels.newChannel(stream), null);
  }

  /**
   * Writes a new file {@code target} in place, for readers that follow it while it grows: each
   * chunk is readable by {@link io.lazyq.format.LzqStream} in tail mode as soon as
   * {@link #flushChunk()} returns, and the footer comes on {@link #commit()}. Frames are written in
   * file order, header first, so a reader that gets ahead of the writer finds a frame whose header
   * or payload ends early, which it reads as "not yet complete". There is no atomic publication:
   * {@link #close()} without a commit, or a crash, leaves the chunks written so far, without a
   * footer.
   */
  public static LzqWriter appendable(Path target, Schema schema, WriterOptions options) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      return new LzqWriter(schema, options, null, channel, channel);
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, channel);
      throw e;
    }
  }

  public Schema schema() {
    return schema;
  }

  public LzqWriter setInt(int column, int v) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendInt(v);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  /** Sets an int64 or a timestamp (microseconds since the epoch). */
  public LzqWriter setLong(int column, long v) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendLong(v);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  public LzqWriter setFloat(int column, float v) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendFloat(v);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  public LzqWriter setDouble(int column, double v) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendDouble(v);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  public LzqWriter setBool(int column, boolean v) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendBool(v);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  /** Sets a utf8 value; {@code null} sets the column null. */
  public LzqWriter setString(int column, String v) {
    if (v == null) {
      return setNull(column);
    }
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendUtf8(v);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  public LzqWriter setFloats(int column, float[] list) {
    return setFloats(column, list, 0, list.length);
  }

  public LzqWriter setFloats(int column, float[] list, int from, int count) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendFloatList(list, from, count);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  public LzqWriter setDoubles(int column, double[] list) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendDoubleList(list);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  public LzqWriter setInts(int column, int[] list) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendIntList(list);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  /** Sets a list of int64 or timestamps. */
  public LzqWriter setLongs(int column, long[] list) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendLongList(list);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  public LzqWriter setBools(int column, boolean[] list) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendBoolList(list);
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  /**
   * Sets a boxed value of the column's type, as {@link ColumnView#getObject} returns it; any
   * {@link Number} is accepted for a numeric column. {@code null} sets the column null.
   */
  public LzqWriter setObject(int column, Object v) {
    if (v == null) {
      return setNull(column);
    }
    ColumnType type = schema.field(column).type();
    if (type.isList()) {
      switch (type.element()) {
        case FLOAT32: return setFloats(column, (float[]) v);
        case FLOAT64: return setDoubles(column, (double[]) v);
        case INT32: return setInts(column, (int[]) v);
        case INT64: case TIMESTAMP_MICROS: return setLongs(column, (long[]) v);
        case BOOL: return setBools(column, (boolean[]) v);
        default: throw new IllegalStateException(type.toString());
      }
    }
    switch (type.kind()) {
      case INT32: return setInt(column, ((Number) v).intValue());
      case INT64: case TIMESTAMP_MICROS: return setLong(column, ((Number) v).longValue());
      case FLOAT32: return setFloat(column, ((Number) v).floatValue());
      case FLOAT64: return setDouble(column, ((Number) v).doubleValue());
      case BOOL: return setBool(column, (Boolean) v);
      case UTF8: return setString(column, v.toString());
      default: throw new IllegalStateException(type.toString());
    }
  }

  public LzqWriter setNull(int column) {
    ColumnBuilder b = columns[mark(column)];
    try {
      b.appendNull();
    } catch (RuntimeException e) {
      state.fail(e);
      throw e;
    }
    return this;
  }

  /**
   * Ends the row; unset columns become null. Writes a chunk when one is full.
   *
   * @throws IllegalStateException if a setter of this row failed, which fails the writer
   */
  public void endRow() throws IOException {
    state.checkWritable();
    try {
      for (int i = 0; i < set.length; i++) {
        if (!set[i]) {
          columns[i].appendNull();
        }
        set[i] = false;
      }
      for (ColumnBuilder c : columns) {
        if (c.rows() != pendingRows + 1) {
          throw new IllegalStateException("column '" + c.field().name() + "' holds " + c.rows() + " values for row "
              + (pendingRows + 1) + " of the chunk: a setter of this row failed");
        }
      }
      rowCount++;
      pendingRows++;
      if (pendingRows >= options.chunkRows() || bufferedBytes() >= options.chunkBytes()) {
        flushChunk();
      }
    } catch (IOException | RuntimeException e) {
      state.fail(e);
      throw e;
    }
  }

  /**
   * Writes one chunk copied column by column from views of another file's chunk (same column
   * types, in schema order), re-encoding as this writer's schema says. Rows buffered before are
   * written as a chunk of their own first.
   */
  public void appendChunk(ColumnView[] views) throws IOException {
    state.checkWritable();
    if (rowBegun()) {
      throw new IllegalStateException("a row was begun and not ended");
    }
    if (views.length != columns.length) {
      throw new IllegalArgumentException("a chunk of " + views.length + " columns for a schema of " + columns.length);
    }
    flushChunk();
    for (int c = 0; c < columns.length; c++) {
      if (!views[c].field().type().equals(schema.field(c).type())) {
        throw new IllegalArgumentException("column '" + schema.field(c).name() + "' is " + schema.field(c).type()
            + ", the chunk's " + views[c].field().type());
      }
    }
    try {
      for (int c = 0; c < columns.length; c++) {
        columns[c].appendAll(views[c]);
      }
      int rows = views.length == 0 ? 0 : views[0].rows();
      rowCount += rows;
      pendingRows = rows;
      flushChunk();
    } catch (IOException | RuntimeException e) {
      state.fail(e);
      throw e;
    }
  }

  /** Rows written so far, flushed or not. */
  public long rowCount() {
    return rowCount;
  }

  /** Chunks written so far. */
  public int chunkCount() {
    return chunks.size();
  }

  /** The descriptors of the chunks written so far, with their columns' statistics. */
  public List<ChunkDescriptor> chunks() {
    return List.copyOf(chunks);
  }

  /** Bytes written to the output so far. */
  public long bytesWritten() {
    return position;
  }

  /** Writes any buffered rows as a chunk now, so that it becomes readable to a stream reader. */
  public void flushChunk() throws IOException {
    state.checkWritable();
    int rows = pendingRows;
    if (rows == 0) {
      return;
    }
    try {
      writeChunk(rows);
    } catch (IOException | RuntimeException e) {
      state.fail(e);
      throw e;
    }
  }

  private void writeChunk(int rows) throws IOException {
    long dataStart = MetadataCodec.chunkDataStart(columns.length);
    List<ColumnChunk> described = new ArrayList<>(columns.length);
    List<ByteBuffer> data = new ArrayList<>();
    long at = dataStart;
    ColumnBuilder.EncodedColumn[] encoded = new ColumnBuilder.EncodedColumn[columns.length];
    ByteBuffer[][] stored = new ByteBuffer[columns.length][];
    ColumnEncoding.Lossless[] stages = new ColumnEncoding.Lossless[columns.length];
    long[] storedBytes = new long[columns.length];
    for (int c = 0; c < columns.length; c++) {
      ColumnBuilder builder = columns[c];
      ColumnBuilder.EncodedColumn enc = builder.encode();
      encoded[c] = enc;
      ByteBuffer[] raw = {enc.validity(), enc.offsets(), enc.values()};
      ByteBuffer[] parts = raw;
      ColumnEncoding.Lossless compression = ColumnEncoding.Lossless.NONE;
      if (enc.blockEncoded()) {
        parts = LosslessStage.boundedBlocks(raw).buffers();
        compression = ColumnEncoding.Lossless.BLOCKS;
      } else if (builder.field().encoding().lossless() != ColumnEncoding.Lossless.NONE) {
        LosslessStage.Stored s = LosslessStage.compressIfItPays(raw, builder.field());
        if (s != null) {
          parts = s.buffers();
          compression = s.stage();
        }
      }
      stored[c] = parts;
      stages[c] = compression;
      for (ByteBuffer p : parts) {
        storedBytes[c] += p == null ? 0 : p.remaining();
      }
    }
    Map<Integer, Derivation.Encoded> derived = DerivedColumns.choose(schema, encoded, storedBytes, rows);
    for (int c = 0; c < columns.length; c++) {
      ColumnBuilder.EncodedColumn enc = encoded[c];
      ByteBuffer[] raw = {enc.validity(), enc.offsets(), enc.values()};
      ByteBuffer[] parts = stored[c];
      ColumnEncoding.Lossless compression = stages[c];
      ColumnStats stats = enc.stats();
      Derivation.Encoded d = derived.get(c);
      if (d != null) {
        parts = new ByteBuffer[] {enc.validity() != null && enc.validity().hasRemaining()
            ? LosslessStage.compress(enc.validity()) : null, null, d.values()};
        compression = ColumnEncoding.Lossless.DERIVED;
        if (enc.decoded() != null) {
          // Under a bound, a lookup's values are its explicit values decoded: the stats are theirs.
          stats = ColumnBuilder.floatStats(d.decoded(), rows, enc.validity(), enc.stats().nullCount());
        }
      }
      CRC32C crc = new CRC32C();
      List<ByteBuffer> region = new ArrayList<>();
      long regionLength = 0;
      BufferRef[] refs = new BufferRef[3];
      for (int b = 0; b < 3; b++) {
        ByteBuffer part = parts[b];
        if (part == null || !part.hasRemaining()) {
          refs[b] = BufferRef.ABSENT;
          continue;
        }
        long start = FileLayout.align(regionLength);
        if (start > regionLength) {
          region.add(ZEROS.duplicate().limit((int) (start - regionLength)));
        }
        region.add(part.duplicate());
        // Block encodings under a bound, and derived values, decode to plain float32 values.
        long decoded = b == 2 && (enc.blockEncoded() || d != null) ? 4 * enc.valueCount() : raw[b].remaining();
        refs[b] = new BufferRef(start, part.remaining(), decoded);
        regionLength = start + part.remaining();
      }
      for (ByteBuffer r : region) {
        crc.update(r.duplicate());
      }
      described.add(new ColumnChunk(at, regionLength, (int) crc.getValue(), compression,
          enc.valueCount(), stats, refs[0], refs[1], refs[2]));
      data.addAll(region);
      long next = FileLayout.align(at + regionLength);
      if (next > at + regionLength) {
        data.add(ZEROS.duplicate().limit((int) (next - at - regionLength)));
      }
      at = next;
    }
    BinaryOut body = new BinaryOut();
    MetadataCodec.encodeChunkBody(body, rows, described);
    ByteBuffer descriptor = body.toBuffer();
    List<ByteBuffer> payload = new ArrayList<>();
    payload.add(descriptor);
    if (dataStart > descriptor.remaining()) {
      payload.add(ZEROS.duplicate().limit((int) (dataStart - descriptor.remaining())));
    }
    payload.addAll(data);
    long frameOffset = position;
    long payloadLength = writeFrame(FrameType.CHUNK, chunks.size(), payload);
    long firstRow = chunks.isEmpty() ? 0 : last().firstRow() + last().rows();
    chunks.add(new ChunkDescriptor(chunks.size(), frameOffset, payloadLength, firstRow, rows, described));
    for (ColumnBuilder builder : columns) {
      builder.reset();
    }
    pendingRows = 0;
  }

  /**
   * Writes the last chunk, the footer and the trailer, and publishes the file: under its final name
   * for {@link #create}, complete with its footer for {@link #appendable}. Nothing can be written
   * after it.
   *
   * @throws IllegalStateException if a write failed or a row was begun and not ended; nothing is
   *     published then, and {@link #close()} cleans up
   */
  public void commit() throws IOException {
    state.checkWritable();
    if (rowBegun()) {
      throw new IllegalStateException("a row was begun and not ended; nothing is published");
    }
    try {
      flushChunk();
      ChunkIndex index = new ChunkIndex(chunks, rowCount);
      long footerOffset = position;
      writeFrame(FrameType.FOOTER, 0, List.of(MetadataCodec.encodeFooter(index, schema)));
      write(FileLayout.encodeTrailer(footerOffset));
      if (appended != null) {
        appended.force(true);
      }
      if (file != null) {
        file.commit();
      }
    } catch (IOException | RuntimeException e) {
      state.fail(e);
      throw e;
    }
    state.end();
    if (appended != null) {
      appended.close();
    }
  }

  /**
   * Releases the writer. Without a {@link #commit()} it aborts: a file written by {@link #create}
   * is deleted, leaving the target as it was; an appendable file keeps the chunks written, without
   * a footer. Safe to call more than once.
   *
   * @throws java.io.UncheckedIOException if the temporary file cannot be deleted
   */
  @Override
  public void close() {
    if (state.end()) {
      Closeables.closeAllUnchecked(file, appended);
    }
  }

  private ChunkDescriptor last() {
    return chunks.get(chunks.size() - 1);
  }

  private long bufferedBytes() {
    long total = 0;
    for (ColumnBuilder c : columns) {
      total += c.bufferedBytes();
    }
    return total;
  }

  private int mark(int column) {
    state.checkWritable();
    if (set[column]) {
      throw new IllegalStateException("column " + column + " ('" + schema.field(column).name() + "') was already set in this row");
    }
    set[column] = true;
    return column;
  }

  private boolean rowBegun() {
    for (boolean b : set) {
      if (b) {
        return true;
      }
    }
    return false;
  }

  /** Writes a frame (header, payload, padding) and returns its payload length. */
  private long writeFrame(FrameType type, long sequence, List<ByteBuffer> payload) throws IOException {
    CRC32C crc = new CRC32C();
    long length = 0;
    for (ByteBuffer p : payload) {
      length += p.remaining();
      crc.update(p.duplicate());
    }
    write(new FrameHeader(type, length, (int) crc.getValue(), sequence).encode());
    for (ByteBuffer p : payload) {
      write(p.duplicate());
    }
    long end = FileLayout.align(position);
    if (end > position) {
      write(ZEROS.duplicate().limit((int) (end - position)));
    }
    return length;
  }

  private void write(ByteBuffer b) throws IOException {
    b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      position += out.write(b);
    }
  }
}
