package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a {@code .lzq} file front to back from any {@link InputStream} (a pipe, a socket, a gzip
 * stream), one chunk at a time: {@code load_stream} semantics. Memory is bounded by the largest
 * chunk, never by the file: each chunk is read into one reused buffer, which grows only as bytes
 * actually arrive, so a hostile length cannot make it allocate.
 *
 * <pre>{@code
 * try (LzqStream s = LzqStream.open(in, "<stdin>", StreamOptions.DEFAULTS)) {
 *   while (s.next()) {
 *     ColumnView ts = s.column(0);   // valid until the next call to next()
 *   }
 * }
 * }</pre>
 */
public final class LzqStream implements AutoCloseable {
  /** Bytes read per step while filling the chunk buffer; the buffer grows no faster than this. */
  private static final int STEP = 1 << 20;

  private final InputStream in;
  private final String source;
  private final StreamOptions options;
  private final Schema schema;
  private final ByteBuffer frameHeader = ByteBuffer.allocate(FileLayout.FRAME_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private ByteBuffer payload = ByteBuffer.allocate(0);
  private final byte[] scratch = new byte[FileLayout.ALIGNMENT];
  private long position;
  private long padding;
  private long rowsRead;
  private ChunkDescriptor current;
  private int chunks;
  private final long firstChunk;
  private long lastCompleteEnd;
  private boolean finished;

  private LzqStream(InputStream in, String source, StreamOptions options) throws IOException {
    this.in = in;
    this.source = source;
    this.options = options;
    ByteBuffer header = ByteBuffer.allocate(FileLayout.FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    if (!fill(header, false)) {
      throw new LazyQFormatException(source, position, "empty input: no LazyQ file header");
    }
    FileLayout.checkFileHeader(header.flip(), source);
    FrameHeader frame = readFrame(false);
    if (frame == null || frame.type() != FrameType.SCHEMA) {
      throw new LazyQFormatException(source, FileLayout.FILE_HEADER_BYTES, "expected the schema frame");
    }
    this.schema = Schema.decode(payload, source, FileLayout.FILE_HEADER_BYTES + FileLayout.FRAME_HEADER_BYTES);
    this.firstChunk = position + padding;
    this.lastCompleteEnd = firstChunk;
  }

  public static LzqStream open(InputStream in, String source, StreamOptions options) throws IOException {
    return new LzqStream(in, source, options);
  }

  public Schema schema() {
    return schema;
  }

  /**
   * Advances to the next chunk. Returns {@code false} after the footer, or, in tail mode, where the
   * input ends before the next chunk is complete.
   */
  public boolean next() throws IOException {
    current = null;
    if (finished) {
      return false;
    }
    long frameOffset = position + padding;
    FrameHeader frame = readFrame(options.tail());
    if (frame == null) {
      finished = true;
      return false;
    }
    if (frame.type() == FrameType.FOOTER) {
      finishWithFooter(frameOffset);
      return false;
    }
    if (frame.type() != FrameType.CHUNK) {
      throw new LazyQFormatException(source, frameOffset + 4, "unexpected " + frame.type() + " frame after the schema");
    }
    int ordinal = chunksRead();
    if (frame.sequence() != ordinal) {
      throw new LazyQFormatException(source, frameOffset + 24, "chunk frame numbered " + frame.sequence()
          + " where chunk " + ordinal + " was expected");
    }
    current = ChunkDescriptor.decode(payload, schema, ordinal, frameOffset, rowsRead, source);
    rowsRead += current.rows();
    chunks++;
    lastCompleteEnd = frame.nextFrameOffset(frameOffset);
    return true;
  }

  /** The chunk {@link #next()} moved to. */
  public ChunkDescriptor chunk() {
    if (current == null) {
      throw new IllegalStateException("no current chunk: call next() first");
    }
    return current;
  }

  /** A view of one column of the current chunk, valid until the next call to {@link #next()}. */
  public ColumnView column(int ordinal) throws LazyQFormatException {
    ChunkDescriptor c = chunk();
    ColumnChunk col = c.column(ordinal);
    ByteBuffer region = payload.duplicate().position((int) col.offset()).limit((int) col.end()).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
    long at = c.payloadOffset() + col.offset();
    Derivation.Values derived = null;
    if (col.compression() == ColumnEncoding.Lossless.DERIVED) {
      try {
        derived = Derivation.decode(region, c, schema, ordinal, this::column, source, at);
      } catch (LazyQFormatException e) {
        throw e;
      } catch (java.io.IOException e) {
        // Sources come from the chunk already in memory: nothing here reads the input.
        throw new IllegalStateException(e);
      }
    }
    return new ColumnView(schema.field(ordinal), col, c.rows(), region, source, at, null, derived);
  }

  public int chunksRead() {
    return chunks;
  }

  public long rowsRead() {
    return rowsRead;
  }

  /** Bytes consumed from the input so far. */
  public long position() {
    return position;
  }

  /** Capacity of the reused chunk buffer: the evidence of bounded memory. */
  public long bufferCapacity() {
    return payload.capacity();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void finishWithFooter(long frameOffset) throws IOException {
    ChunkIndex index = ChunkIndex.decode(payload, source, frameOffset + FileLayout.FRAME_HEADER_BYTES, schema,
        firstChunk, frameOffset);
    if (index.size() != chunks || index.rowCount() != rowsRead) {
      throw new LazyQFormatException(source, frameOffset, "the footer lists " + index.size() + " chunks and "
          + index.rowCount() + " rows; the stream held " + chunks + " and " + rowsRead);
    }
    skipPadding();
    ByteBuffer trailer = ByteBuffer.allocate(FileLayout.TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    if (!fill(trailer, options.tail())) {
      finished = true; // a writer still finishing the trailer: every chunk has been read
      return;
    }
    long footerAt = FileLayout.decodeTrailer(trailer.flip(), source, position);
    if (footerAt != frameOffset) {
      throw new LazyQFormatException(source, position - FileLayout.TRAILER_BYTES, "the trailer points at "
          + footerAt + ", the footer is at " + frameOffset);
    }
    finished = true;
  }


  /**
   * Reads the next frame's header and payload into the reused buffer. Returns {@code null} where the
   * input ends before the frame is complete and {@code quietly} is set.
   */
  private FrameHeader readFrame(boolean quietly) throws IOException {
    skipPadding();
    long frameOffset = position;
    frameHeader.clear();
    if (!fill(frameHeader, quietly)) {
      return null;
    }
    FrameHeader frame = FrameHeader.decode(frameHeader.flip(), source, frameOffset, Long.MAX_VALUE);
    if (!readPayload(frame.payloadLength(), quietly)) {
      return null;
    }
    if (options.verifyChecksums()) {
      frame.checkPayload(payload, source, frameOffset);
    }
    padding = frame.nextFrameOffset(frameOffset) - position;
    return frame;
  }

  private boolean readPayload(long length, boolean quietly) throws IOException {
    if (length > Integer.MAX_VALUE - 8) {
      throw new LazyQFormatException(source, position - FileLayout.FRAME_HEADER_BYTES + 8,
          "a frame of " + length + " bytes exceeds what one chunk may hold");
    }
    int total = (int) length;
    payload.clear();
    int filled = 0;
    while (filled < total) {
      int step = Math.min(STEP, total - filled);
      if (payload.capacity() < filled + step) {
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(total, Math.max(2L * payload.capacity(), filled + step)));
        bigger.put(payload.flip());
        payload = bigger;
      }
      payload.limit(filled + step);
      if (!fill(payload, quietly)) {
        return false;
      }
      filled += step;
    }
    payload.flip();
    payload = payload.order(ByteOrder.LITTLE_ENDIAN);
    return true;
  }

  /**
   * Skips the zero padding after a frame by reading it: {@code InputStream.skip} may seek, which a
   * pipe refuses ("Illegal seek").
   */
  private void skipPadding() throws IOException {
    while (padding > 0) {
      int n = in.read(scratch, 0, (int) Math.min(padding, scratch.length));
      if (n < 0) {
        if (options.tail()) {
          padding = 0;
          return;
        }
        throw truncated();
      }
      padding -= n;
      position += n;
    }
  }

  /** Fills {@code b} to its limit; at end of input returns false if {@code quietly}, else throws. */
  private boolean fill(ByteBuffer b, boolean quietly) throws IOException {
    byte[] array = b.array();
    while (b.hasRemaining()) {
      int n = in.read(array, b.arrayOffset() + b.position(), b.remaining());
      if (n < 0) {
        if (quietly) {
          return false;
        }
        throw truncated();
      }
      b.position(b.position() + n);
      position += n;
    }
    return true;
  }

  private LazyQFormatException truncated() {
    String last = chunks == 0 ? "no chunk was complete" : "the last complete chunk is chunk " + (chunks - 1)
        + ", ending at offset " + lastCompleteEnd;
    return new LazyQFormatException(source, position, "truncated: the input ends inside a frame; " + last);
  }
}
