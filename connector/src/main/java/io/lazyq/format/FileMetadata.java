package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import io.lazyq.storage.LocalInputFile;
import io.lazyq.storage.RangeReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * What a random-access reader learns from a {@code .lzq} file's ends, without touching a chunk:
 * its schema, from the first frame (or its copy at the end of the footer, since 1.2), and its chunk
 * index, from the footer. This is the whole of "plan mode"; its memory is that of the index.
 *
 * @param schema the columns
 * @param index the chunks
 * @param fileSize the file's size in bytes
 * @param firstChunkOffset where the first chunk frame starts (the end of the schema frame)
 */
public record FileMetadata(Schema schema, ChunkIndex index, long fileSize, long firstChunkOffset) {

  /** Reads and checks a file's header, schema, trailer and footer. */
  public static FileMetadata read(FileChannel channel, String source) throws IOException {
    return read(new LocalInputFile.Reader(channel, source));
  }

  /**
   * Reads and checks a file's header, schema, trailer and footer through positioned reads. A
   * remote reader takes all of it from the file's tail, in one request, where the footer holds a
   * copy of the schema (files since 1.2); otherwise, and for a local file, from both ends.
   */
  public static FileMetadata read(RangeReader channel) throws IOException {
    String source = channel.location();
    long size = channel.length();
    if (channel.remote() && size >= FileLayout.MIN_FILE_BYTES) {
      FileMetadata fromTail = fromTail(channel, size, source);
      if (fromTail != null) {
        return fromTail;
      }
    }
    if (size < FileLayout.FILE_HEADER_BYTES) {
      byte[] head = new byte[(int) Math.min(size, 8)];
      channel.read(0, head.length).get(head);
      throw new LazyQFormatException(source, size, FileLayout.hasMagic(head)
          ? "damaged or cut short: " + size + " bytes, less than the " + FileLayout.FILE_HEADER_BYTES
              + "-byte file header"
          : "not a LazyQ file (" + size + " bytes, bad magic)");
    }
    FileLayout.Header header = FileLayout.checkFileHeader(read(channel, 0, FileLayout.FILE_HEADER_BYTES, source), source);
    if (size < FileLayout.MIN_FILE_BYTES || !FileLayout.hasTrailerMagic(
        read(channel, size - FileLayout.TRAILER_BYTES, FileLayout.TRAILER_BYTES, source))) {
      throw withoutTrailer(channel, header, source);
    }
    Head head = readHead(channel, size - FileLayout.TRAILER_BYTES, source);
    Schema schema = head.schema();
    long firstChunk = head.firstChunkOffset();
    Footer footer = readFooter(channel, size, source, firstChunk);
    ByteBuffer copy = MetadataCodec.footerSchemaCopy(footer.payload(), source, footer.payloadAt());
    if (copy != null && !copy.equals(MetadataCodec.encodeSchema(schema))) {
      throw new LazyQFormatException(source, footer.copyAt(copy), "the footer's copy of the schema"
          + " differs from the schema frame");
    }
    ChunkIndex index = ChunkIndex.decode(footer.payload(), source, footer.payloadAt(), schema, firstChunk, footer.at());
    return new FileMetadata(schema, index, size, firstChunk);
  }

  /** A footer frame whose payload checked out. */
  private record Footer(long at, long payloadAt, ByteBuffer payload) {
    /** Where the schema copy that closes the payload starts in the file. */
    long copyAt(ByteBuffer copy) {
      return payloadAt + payload.remaining() - MetadataCodec.FOOTER_SCHEMA_END_BYTES - copy.remaining();
    }
  }

  /**
   * The schema from the footer's copy and the index, without the file's head; null where the
   * file has no trailer or its footer no copy (an older file), and where the copy does not lead
   * to a whole index: the head then decides.
   */
  private static FileMetadata fromTail(RangeReader channel, long size, String source) throws IOException {
    if (!FileLayout.hasTrailerMagic(read(channel, size - FileLayout.TRAILER_BYTES, FileLayout.TRAILER_BYTES, source))) {
      return null;
    }
    long lowest = FileLayout.FILE_HEADER_BYTES + FileLayout.FRAME_HEADER_BYTES;
    Footer footer = readFooter(channel, size, source, lowest);
    ByteBuffer copy = MetadataCodec.footerSchemaCopy(footer.payload(), source, footer.payloadAt());
    if (copy == null) {
      return null;
    }
    try {
      Schema schema = Schema.decode(copy, source, footer.copyAt(copy));
      long firstChunk = FileLayout.align(lowest + copy.remaining());
      if (firstChunk > footer.at()) {
        return null;
      }
      ChunkIndex index = ChunkIndex.decode(footer.payload(), source, footer.payloadAt(), schema, firstChunk, footer.at());
      return new FileMetadata(schema, index, size, firstChunk);
    } catch (LazyQFormatException notACopy) {
      return null; // an older footer that ends as a copy's would, by chance
    }
  }

  /** The footer that the trailer points to, its payload checked against its checksum. */
  private static Footer readFooter(RangeReader channel, long size, String source, long firstChunk) throws IOException {
    long footerAt = FileLayout.decodeTrailer(read(channel, size - FileLayout.TRAILER_BYTES, FileLayout.TRAILER_BYTES, source),
        source, size);
    if (footerAt < firstChunk) {
      throw new LazyQFormatException(source, size - FileLayout.TRAILER_BYTES, "footer offset " + footerAt
          + " lies inside the schema frame, which ends at " + firstChunk);
    }
    long footerRoom = size - FileLayout.TRAILER_BYTES - footerAt - FileLayout.FRAME_HEADER_BYTES;
    FrameHeader footerFrame = FrameHeader.decode(read(channel, footerAt, FileLayout.FRAME_HEADER_BYTES, source),
        source, footerAt, footerRoom);
    expect(footerFrame, FrameType.FOOTER, source, footerAt);
    if (footerFrame.nextFrameOffset(footerAt) != size - FileLayout.TRAILER_BYTES) {
      throw new LazyQFormatException(source, footerAt + 8, "the footer frame does not end at the trailer");
    }
    long footerPayloadAt = footerAt + FileLayout.FRAME_HEADER_BYTES;
    ByteBuffer footer = read(channel, footerPayloadAt, footerFrame.payloadLength(), source);
    footerFrame.checkPayload(footer, source, footerAt);
    return new Footer(footerAt, footerPayloadAt, footer);
  }

  /**
   * Why a file has no trailer: a file opened for append is still being written; any other is
   * damaged or cut short, and the error says where its intact frames end.
   */
  private static LazyQFormatException withoutTrailer(RangeReader file, FileLayout.Header header, String source)
      throws IOException {
    long size = file.length();
    if (header.appendable()) {
      return new LazyQFormatException(source, size, "still being written: it was opened for append and"
          + " has no footer yet; follow it with spark.readStream (or LzqStream in tail mode), or read it once its"
          + " writer has closed it");
    }
    if (!(file instanceof LocalInputFile.Reader local)) {
      // A remote file is not scanned frame by frame for the place it was cut: that would read it whole.
      return new LazyQFormatException(source, size, "damaged or cut short: the file ends at offset " + size
          + " without its trailer; lazyq verify tells where its whole frames end");
    }
    ChunkFrames.scan(local.channel(), source); // throws where the file was cut short or its frames are damaged
    long magic = size - FileLayout.TRAILER_BYTES + 16;
    return new LazyQFormatException(source, magic, "damaged: the frames are whole and the trailer in place, but"
        + " the trailer's magic is wrong");
  }

  /**
   * What a file's first frames say: its schema, and where its chunks begin.
   *
   * @param schema the columns
   * @param firstChunkOffset the end of the schema frame, where the first chunk frame starts
   */
  public record Head(Schema schema, long firstChunkOffset) {}

  /**
   * Reads and checks the file header and the schema frame, which must lie within the first
   * {@code limit} bytes: the file's size, less whatever must still follow them.
   */
  public static Head readHead(FileChannel channel, long limit, String source) throws IOException {
    return readHead(new LocalInputFile.Reader(channel, source), limit, source);
  }

  private static Head readHead(RangeReader channel, long limit, String source) throws IOException {
    FileLayout.checkFileHeader(read(channel, 0, FileLayout.FILE_HEADER_BYTES, source), source);
    long schemaAt = FileLayout.FILE_HEADER_BYTES;
    FrameHeader schemaFrame = FrameHeader.decode(read(channel, schemaAt, FileLayout.FRAME_HEADER_BYTES, source),
        source, schemaAt, limit - schemaAt - FileLayout.FRAME_HEADER_BYTES);
    expect(schemaFrame, FrameType.SCHEMA, source, schemaAt);
    ByteBuffer schemaPayload = read(channel, schemaAt + FileLayout.FRAME_HEADER_BYTES, schemaFrame.payloadLength(), source);
    schemaFrame.checkPayload(schemaPayload, source, schemaAt);
    Schema schema = Schema.decode(schemaPayload, source, schemaAt + FileLayout.FRAME_HEADER_BYTES);
    return new Head(schema, schemaFrame.nextFrameOffset(schemaAt));
  }

  private static void expect(FrameHeader frame, FrameType type, String source, long at) throws LazyQFormatException {
    if (frame.type() != type) {
      throw new LazyQFormatException(source, at + 4, "expected a " + type + " frame, found " + frame.type());
    }
  }

  /** Reads {@code length} bytes at {@code offset}; callers bound {@code length} by the file size first. */
  public static ByteBuffer read(FileChannel channel, long offset, long length, String source) throws IOException {
    return read(new LocalInputFile.Reader(channel, source), offset, length, source);
  }

  private static ByteBuffer read(RangeReader channel, long offset, long length, String source) throws IOException {
    if (length > Integer.MAX_VALUE - 8) {
      throw new LazyQFormatException(source, offset, "a metadata frame of " + length + " bytes exceeds 2 GiB");
    }
    return channel.read(offset, (int) length);
  }

}
