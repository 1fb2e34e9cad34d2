package io.lazyq.stream;

import io.lazyq.format.FileLayout;
import io.lazyq.format.FrameHeader;
import io.lazyq.format.FrameType;
import io.lazyq.format.LazyQFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The complete chunks of a {@code .lzq} file that may still be growing, found from frame headers
 * alone: a chunk counts once its whole payload is in the file, as {@link LzqStream} in tail mode
 * would read it. Reads 72 bytes per chunk (the header and the descriptor's row count), no payload.
 *
 * @param rows the row count of each complete chunk, in order
 * @param finished whether the footer follows the last chunk: the file will not grow
 */
public record ChunkFrames(int[] rows, boolean finished) {

  public int chunks() {
    return rows.length;
  }

  /** Scans {@code file} from its first frame; a file shorter than its header has no chunk yet. */
  public static ChunkFrames scan(Path file) throws IOException {
    String source = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate(FileLayout.FRAME_HEADER_BYTES + 4).order(ByteOrder.LITTLE_ENDIAN);
      if (size < FileLayout.FILE_HEADER_BYTES) {
        return new ChunkFrames(new int[0], false);
      }
      ByteBuffer fileHeader = ByteBuffer.allocate(FileLayout.FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, fileHeader, 0);
      FileLayout.checkFileHeader(fileHeader.flip(), source);
      int[] rows = new int[16];
      int n = 0;
      long at = FileLayout.FILE_HEADER_BYTES;
      while (at + head.capacity() <= size) {
        head.clear();
        readFully(ch, head, at);
        FrameHeader frame = FrameHeader.decode(head.duplicate().flip().limit(FileLayout.FRAME_HEADER_BYTES), source, at,
            Long.MAX_VALUE);
        if (at + FileLayout.FRAME_HEADER_BYTES + frame.payloadLength() > size) {
          break; // the writer is still inside this frame
        }
        if (frame.type() == FrameType.FOOTER) {
          return new ChunkFrames(Arrays.copyOf(rows, n), true);
        }
        if (frame.type() == FrameType.CHUNK) {
          if (frame.sequence() != n) {
            throw new LazyQFormatException(source, at + 24, "chunk frame numbered " + frame.sequence()
                + " where chunk " + n + " was expected");
          }
          if (n == rows.length) {
            rows = Arrays.copyOf(rows, 2 * n);
          }
          rows[n++] = head.getInt(FileLayout.FRAME_HEADER_BYTES);
        }
        at = frame.nextFrameOffset(at);
      }
      return new ChunkFrames(Arrays.copyOf(rows, n), false);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new IOException("unexpected end of file at " + (at + b.position()));
      }
    }
  }
}
