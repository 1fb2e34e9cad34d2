package io.lazyq.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Recomputes every checksum of a {@code .lzq} file, whatever else is wrong with it: the file
 * header's, each frame header's and payload's, each column region's (in chunk frames and in the
 * footer) and the trailer's. A fuzzer rarely fixes a CRC32C by mutation, so without this it would
 * never get past the checksums to the structure they guard; hand-made hostile files use it too.
 * Never throws: what it cannot parse, it leaves.
 */
public final class Reseal {
  private static final int MARKER = 0x5246514C;
  private static final int CHUNK = 2;
  private static final int FOOTER = 3;
  private static final int ENTRY = 126;

  private Reseal() {}

  /** The input, and the input with its checksums recomputed where that changes it. */
  public static List<byte[]> asIsAndResealed(byte[] input) {
    byte[] resealed = of(input);
    return Arrays.equals(input, resealed) ? List.of(input) : List.of(input, resealed);
  }

  /** A copy of {@code file} with its checksums recomputed. */
  public static byte[] of(byte[] file) {
    byte[] out = file.clone();
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    if (out.length < 64) {
      return out;
    }
    b.putInt(60, crc(b, 0, 60));
    long at = 64;
    while (at + 64 <= out.length && b.getInt((int) at) == MARKER) {
      int frame = (int) at;
      long length = b.getLong(frame + 8);
      int payload = frame + 64;
      if (length < 0 || length > out.length - payload) {
        b.putInt(frame + 60, crc(b, frame, frame + 60));
        break;
      }
      int type = b.get(frame + 4);
      if (type == CHUNK) {
        columns(b, payload, payload + (int) length, payload, (int) length);
      } else if (type == FOOTER) {
        footer(b, payload, (int) length);
      }
      b.putInt(frame + 16, crc(b, payload, payload + (int) length));
      b.putInt(frame + 60, crc(b, frame, frame + 60));
      at = (payload + length + 63) & -64L;
    }
    int trailer = out.length - 24;
    if (trailer >= 64) {
      b.putInt(trailer + 8, crc(b, trailer, trailer + 8));
    }
    return out;
  }

  /**
   * The column entries of a descriptor at {@code at}, which ends by {@code end}, for a chunk whose
   * payload is at {@code payload}; returns where the descriptor ends.
   */
  private static int columns(ByteBuffer b, int at, int end, int payload, int payloadLength) {
    if (at + 8 > end) {
      return end;
    }
    long count = b.getInt(at + 4) & 0xFFFF_FFFFL;
    int entry = at + 8;
    for (long c = 0; c < count && entry + ENTRY <= end; c++, entry += ENTRY) {
      long offset = b.getLong(entry);
      long length = b.getLong(entry + 8);
      if (offset >= 0 && length >= 0 && offset <= payloadLength && length <= payloadLength - offset
          && payload + offset + length <= b.limit()) {
        b.putInt(entry + 16, crc(b, (int) (payload + offset), (int) (payload + offset + length)));
      }
    }
    return entry;
  }

  private static void footer(ByteBuffer b, int at, int length) {
    int end = at + length;
    if (at + 12 > end) {
      return;
    }
    long chunks = b.getInt(at + 8) & 0xFFFF_FFFFL;
    int entry = at + 12;
    for (long i = 0; i < chunks && entry + 24 <= end; i++) {
      long frame = b.getLong(entry);
      long payloadLength = b.getLong(entry + 8);
      boolean inside = frame >= 0 && payloadLength >= 0 && frame + 64 <= b.limit()
          && payloadLength <= b.limit() - frame - 64;
      entry = inside ? columns(b, entry + 16, end, (int) frame + 64, (int) payloadLength)
          : skipColumns(entry + 16, end, b);
    }
  }

  private static int skipColumns(int at, int end, ByteBuffer b) {
    return at + 8 > end ? end : (int) Math.min(end, at + 8 + (b.getInt(at + 4) & 0xFFFF_FFFFL) * ENTRY);
  }

  private static int crc(ByteBuffer b, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(b.array(), from, to - from);
    return (int) crc.getValue();
  }
}
