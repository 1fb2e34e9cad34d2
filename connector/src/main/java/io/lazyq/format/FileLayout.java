package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The fixed parts of a {@code .lzq} file, as {@code docs/FORMAT.md} specifies them:
 *
 * <pre>
 *   file header (64) | SCHEMA frame | CHUNK frame* | FOOTER frame | trailer (24)
 * </pre>
 *
 * Every frame starts at a multiple of 64, and so does every buffer inside a chunk's payload, so
 * that mapped buffers can serve as Arrow buffers in place.
 */
public final class FileLayout {
  /** PNG-style magic: a non-ASCII byte, the name, and CR LF, EOF and LF to catch text-mode damage. */
  static final byte[] MAGIC = {(byte) 0x89, 'L', 'Z', 'Q', '\r', '\n', 0x1A, '\n'};

  public static final int MAJOR_VERSION = 1;
  /**
   * 1.1 added {@link #FLAG_APPENDABLE} and lossless stage 3 (block encodings); 1.2 block schemes 8
   * and 9 and error-bounded columns under stage 3, which a 1.1 reader refuses as malformed blocks,
   * and a copy of the schema at the end of the footer, so that a remote reader learns all it needs
   * from the file's tail; 1.3 block scheme 10 (a stream over a whole region), which a 1.2 reader
   * refuses as a malformed block; 1.4 the stream's rANS stage, which a 1.3 reader refuses as a
   * stream of an unknown predictor; 1.5 lossless stage 4 (columns derived from others in their
   * chunk), which a 1.4 reader refuses as an unknown stage.
   */
  public static final int MINOR_VERSION = 5;
  /**
   * File header flag: the writer opened the file for append, in place ({@code LzqWriter.appendable}),
   * so a file without a footer may still be growing. Without it, a missing footer is damage.
   */
  public static final int FLAG_APPENDABLE = 1;
  public static final int ALIGNMENT = 64;
  public static final int FILE_HEADER_BYTES = 64;
  public static final int FRAME_HEADER_BYTES = 64;
  public static final int TRAILER_BYTES = 24;
  /** The smallest valid file: header, an empty schema frame, an empty footer frame, trailer. */
  public static final int MIN_FILE_BYTES = FILE_HEADER_BYTES + 2 * (FRAME_HEADER_BYTES + ALIGNMENT) + TRAILER_BYTES;

  private FileLayout() {}

  /** Rounds up to the next multiple of {@link #ALIGNMENT}. */
  public static long align(long offset) {
    return (offset + ALIGNMENT - 1) & -ALIGNMENT;
  }

  /** Whether the bytes start with the {@code .lzq} magic. */
  public static boolean hasMagic(byte[] head) {
    return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /**
   * What a file header says.
   *
   * @param major the format's major version
   * @param minor the format's minor version
   * @param flags {@link #FLAG_APPENDABLE} or 0
   */
  public record Header(int major, int minor, int flags) {
    /**
     * Whether a missing footer means "still being written" rather than damage: the writer opened
     * the file for append. A 1.0 header cannot say, so a 1.0 file is taken as 1.0 readers took it.
     */
    public boolean appendable() {
      return (flags & FLAG_APPENDABLE) != 0 || minor == 0;
    }
  }

  static ByteBuffer encodeFileHeader(int flags) {
    ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, MAGIC);
    b.putShort(8, (short) MAJOR_VERSION);
    b.putShort(10, (short) MINOR_VERSION);
    b.putInt(12, flags);
    b.putInt(60, crc(b, 0, 60));
    return b;
  }

  /** Checks the magic, the checksum and the major version of a file header, and decodes it. */
  public static Header checkFileHeader(ByteBuffer b, String source) throws LazyQFormatException {
    b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    byte[] head = new byte[MAGIC.length];
    b.get(0, head);
    if (!hasMagic(head)) {
      throw new LazyQFormatException(source, 0, "not a LazyQ file (bad magic)");
    }
    if (b.getInt(60) != crc(b, 0, 60)) {
      throw new LazyQFormatException(source, 60, "file header checksum mismatch");
    }
    int major = b.getShort(8) & 0xFFFF;
    if (major != MAJOR_VERSION) {
      throw new LazyQFormatException(source, 8, "format major version " + major
          + " is not supported; this reader reads version " + MAJOR_VERSION);
    }
    return new Header(major, b.getShort(10) & 0xFFFF, b.getInt(12));
  }

  /** Whether the last 24 bytes of a file end with the trailer's magic: a writer closed it. */
  static boolean hasTrailerMagic(ByteBuffer trailer) {
    byte[] tail = new byte[MAGIC.length];
    trailer.get(16, tail);
    return hasMagic(tail);
  }

  static ByteBuffer encodeTrailer(long footerOffset) {
    ByteBuffer b = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, footerOffset);
    b.putInt(8, crc(b, 0, 8));
    b.put(16, MAGIC);
    return b;
  }

  /** Decodes the trailer at {@code fileSize - 24} and returns the footer frame's offset. */
  public static long decodeTrailer(ByteBuffer b, String source, long fileSize) throws LazyQFormatException {
    b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long at = fileSize - TRAILER_BYTES;
    byte[] tail = new byte[MAGIC.length];
    b.get(16, tail);
    if (!hasMagic(tail)) {
      throw new LazyQFormatException(source, at + 16, "no trailer: the file is truncated or was not closed");
    }
    if (b.getInt(8) != crc(b, 0, 8)) {
      throw new LazyQFormatException(source, at + 8, "trailer checksum mismatch");
    }
    long footer = b.getLong(0);
    long minFooter = FILE_HEADER_BYTES + FRAME_HEADER_BYTES;
    if (footer < minFooter || footer > at - FRAME_HEADER_BYTES || footer % ALIGNMENT != 0) {
      throw new LazyQFormatException(source, at, "footer offset " + footer + " is not a frame inside the file");
    }
    return footer;
  }

  static int crc(ByteBuffer b, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(from).limit(to));
    return (int) crc.getValue();
  }
}
