package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The complete chunks of a {@code .lzq} file that may still be growing, found from frame headers
 * and chunk descriptors alone: a chunk counts once its whole payload is in the file, as
 * {@link LzqStream} in tail mode would read it. No column data is read, so a scan costs a few
 * hundred bytes per chunk, and what it finds is enough to map any complete chunk's columns.
 *
 * @param head the schema and where chunks begin; {@code null} while the schema frame is incomplete
 * @param descriptors the complete chunks, in order
 * @param end the offset just past the last complete frame: every byte before it is final
 * @param finished whether the footer follows the last chunk: the file will not grow
 */
public record ChunkFrames(FileMetadata.Head head, List<ChunkDescriptor> descriptors, long end, boolean finished) {

  public ChunkFrames {
    descriptors = List.copyOf(descriptors);
  }

  /** Complete chunks. */
  public int chunks() {
    return descriptors.size();
  }

  /** The row count of each complete chunk, in order. */
  public int[] rows() {
    return descriptors.stream().mapToInt(ChunkDescriptor::rows).toArray();
  }

  /** Bytes that chunk {@code ordinal} takes in the file: its frame header and payload. */
  public long frameBytes(int ordinal) {
    return descriptors.get(ordinal).frameBytes();
  }

  /** The complete chunks as an index, as a footer would list them. */
  public ChunkIndex index() {
    return new ChunkIndex(descriptors, descriptors.stream().mapToLong(ChunkDescriptor::rows).sum());
  }

  /** Scans {@code file} from its first frame; a file shorter than its header has no chunk yet. */
  public static ChunkFrames scan(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return scan(channel, file.toString());
    }
  }

  /**
   * Scans an open file from its first frame, as far as its size at the time of the call. A file
   * whose header does not say it was opened for append cannot be growing, so where its footer is
   * missing this throws, saying where its intact frames end.
   */
  public static ChunkFrames scan(FileChannel channel, String source) throws IOException {
    long size = channel.size();
    if (size < FileLayout.FILE_HEADER_BYTES) {
      return new ChunkFrames(null, List.of(), 0, false);
    }
    boolean appendable = FileLayout.checkFileHeader(
        FileMetadata.read(channel, 0, FileLayout.FILE_HEADER_BYTES, source), source).appendable();
    ChunkFrames frames = scanFrames(channel, source, size);
    if (!appendable && (!frames.finished() || size != FileLayout.align(frames.end()) + FileLayout.TRAILER_BYTES)) {
      throw frames.cutShort(source, size);
    }
    return frames;
  }

  /** The error for a file that is not growing but has no trailer: where its intact frames end. */
  private LazyQFormatException cutShort(String source, long size) {
    long intact = Math.min(size, head == null ? FileLayout.FILE_HEADER_BYTES : FileLayout.align(end));
    String what = finished ? "its footer frame is whole, but the file does not end with the trailer that should follow it"
        : "its frames are whole up to this offset (" + chunks() + " complete chunks), and no footer follows";
    return new LazyQFormatException(source, intact, "damaged or cut short: the file ends at offset " + size
        + " without its trailer; " + what);
  }

  private static ChunkFrames scanFrames(FileChannel channel, String source, long size) throws IOException {
    if (size < FileLayout.FILE_HEADER_BYTES + FileLayout.FRAME_HEADER_BYTES) {
      return new ChunkFrames(null, List.of(), 0, false);
    }
    FrameHeader schemaFrame = FrameHeader.decode(
        FileMetadata.read(channel, FileLayout.FILE_HEADER_BYTES, FileLayout.FRAME_HEADER_BYTES, source), source,
        FileLayout.FILE_HEADER_BYTES, Long.MAX_VALUE);
    long schemaEnd = FileLayout.FILE_HEADER_BYTES + FileLayout.FRAME_HEADER_BYTES + schemaFrame.payloadLength();
    if (schemaEnd > size) {
      return new ChunkFrames(null, List.of(), 0, false); // the writer is still inside the schema frame
    }
    FileMetadata.Head head = FileMetadata.readHead(channel, size, source);
    Schema schema = head.schema();
    int descriptorBytes = (int) ChunkDescriptor.bytes(schema.size());
    List<ChunkDescriptor> chunks = new ArrayList<>();
    long rows = 0;
    long at = head.firstChunkOffset();
    long end = schemaEnd;
    while (at + FileLayout.FRAME_HEADER_BYTES <= size) {
      FrameHeader frame = FrameHeader.decode(FileMetadata.read(channel, at, FileLayout.FRAME_HEADER_BYTES, source),
          source, at, Long.MAX_VALUE);
      long payloadAt = at + FileLayout.FRAME_HEADER_BYTES;
      if (payloadAt + frame.payloadLength() > size) {
        break; // the writer is still inside this frame
      }
      if (frame.type() == FrameType.FOOTER) {
        return new ChunkFrames(head, chunks, payloadAt + frame.payloadLength(), true);
      }
      if (frame.type() != FrameType.CHUNK) {
        throw new LazyQFormatException(source, at + 4, "unexpected " + frame.type() + " frame among the chunks");
      }
      if (frame.sequence() != chunks.size()) {
        throw new LazyQFormatException(source, at + 24, "chunk frame numbered " + frame.sequence()
            + " where chunk " + chunks.size() + " was expected");
      }
      ByteBuffer descriptor = FileMetadata.read(channel, payloadAt, Math.min(frame.payloadLength(), descriptorBytes),
          source).order(ByteOrder.LITTLE_ENDIAN);
      ChunkDescriptor chunk = ChunkDescriptor.decode(descriptor, frame.payloadLength(), schema, chunks.size(), at,
          rows, source);
      chunks.add(chunk);
      rows += chunk.rows();
      end = payloadAt + frame.payloadLength();
      at = frame.nextFrameOffset(at);
    }
    return new ChunkFrames(head, chunks, end, false);
  }
}
