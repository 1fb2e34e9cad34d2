package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The fixed 64-byte header in front of every frame: its type, its payload's length and CRC32C,
 * and its own CRC32C, so that a damaged length is caught before it is used.
 *
 * @param type the frame's type
 * @param payloadLength bytes of payload that follow the header (padding to 64 bytes not included)
 * @param payloadCrc CRC32C of the payload
 * @param sequence the chunk ordinal for chunk frames, 0 otherwise
 */
public record FrameHeader(FrameType type, long payloadLength, int payloadCrc, long sequence) {

  private static final int MARKER = 0x5246514C; // "LQFR"

  /** Absolute offset of the next frame, after the payload and its padding. */
  public long nextFrameOffset(long frameOffset) {
    return FileLayout.align(frameOffset + FileLayout.FRAME_HEADER_BYTES + payloadLength);
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(FileLayout.FRAME_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, MARKER);
    b.put(4, (byte) type.id());
    b.putLong(8, payloadLength);
    b.putInt(16, payloadCrc);
    b.putLong(24, sequence);
    b.putInt(60, crc(b));
    return b;
  }

  /** The payload's CRC32C check, naming the frame on failure. */
  public void checkPayload(ByteBuffer payload, String source, long frameOffset) throws LazyQFormatException {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(payload.duplicate());
    if ((int) crc.getValue() != payloadCrc) {
      throw new LazyQFormatException(source, frameOffset + FileLayout.FRAME_HEADER_BYTES,
          type.name().toLowerCase(java.util.Locale.ROOT) + " frame payload checksum mismatch");
    }
  }

  /**
   * Decodes and checks a frame header.
   *
   * @param b exactly 64 bytes, little-endian, from index 0
   * @param maxPayload the most payload bytes that can follow in this file (or stream limit)
   */
  public static FrameHeader decode(ByteBuffer b, String source, long frameOffset, long maxPayload)
      throws LazyQFormatException {
    b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != MARKER) {
      throw new LazyQFormatException(source, frameOffset, "no frame starts here (bad frame marker)");
    }
    if (b.getInt(60) != crc(b)) {
      throw new LazyQFormatException(source, frameOffset, "frame header checksum mismatch");
    }
    FrameType type = FrameType.byId(b.get(4) & 0xFF);
    if (type == null) {
      throw new LazyQFormatException(source, frameOffset + 4, "unknown frame type " + (b.get(4) & 0xFF));
    }
    long length = b.getLong(8);
    if (length < 0 || length > maxPayload) {
      throw new LazyQFormatException(source, frameOffset + 8, "frame payload length " + Long.toUnsignedString(length)
          + " exceeds the " + maxPayload + " bytes available");
    }
    long sequence = b.getLong(24);
    if (sequence < 0 || sequence > Integer.MAX_VALUE) {
      throw new LazyQFormatException(source, frameOffset + 24, "frame sequence " + sequence + " is out of range");
    }
    return new FrameHeader(type, length, b.getInt(16), sequence);
  }

  private static int crc(ByteBuffer b) {
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(0).limit(60));
    return (int) crc.getValue();
  }
}
