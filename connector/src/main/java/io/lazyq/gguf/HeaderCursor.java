package io.lazyq.gguf;

import io.lazyq.LazyQFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked little-endian reader over a file's header. Every length is checked against the
 * bytes left in the file before anything is allocated for it, so a hostile header can never make
 * it allocate more than the file's size.
 */
final class HeaderCursor {
  private static final int WINDOW = 1 << 16;

  private final String source;
  private final FileChannel channel;
  private final long size;
  private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
  private long windowStart;

  HeaderCursor(String source, FileChannel channel) throws IOException {
    this.source = source;
    this.channel = channel;
    this.size = channel.size();
    window.limit(0);
  }

  long offset() {
    return windowStart + window.position();
  }

  long size() {
    return size;
  }

  long remaining() {
    return size - offset();
  }

  LazyQFormatException fail(long at, String problem) {
    return new LazyQFormatException(source, at, problem);
  }

  int u8(String what) throws IOException {
    need(1, what);
    return window.get() & 0xff;
  }

  short i16(String what) throws IOException {
    need(2, what);
    return window.getShort();
  }

  int i32(String what) throws IOException {
    need(4, what);
    return window.getInt();
  }

  long u32(String what) throws IOException {
    return Integer.toUnsignedLong(i32(what));
  }

  long i64(String what) throws IOException {
    need(8, what);
    return window.getLong();
  }

  float f32(String what) throws IOException {
    need(4, what);
    return window.getFloat();
  }

  double f64(String what) throws IOException {
    need(8, what);
    return window.getDouble();
  }

  /**
   * A GGUF string: a u64 length, then UTF-8 bytes. The length is checked against {@code maxBytes}
   * and the bytes left in the file before the bytes are read.
   */
  String string(long maxBytes, String what) throws IOException {
    long at = offset();
    long n = i64(what + " length");
    if (n < 0 || n > maxBytes) {
      throw fail(at, what + " length " + Long.toUnsignedString(n) + " exceeds " + maxBytes
          + " bytes");
    }
    if (n > remaining()) {
      throw fail(at, what + " of " + n + " bytes runs past the end of the file (" + remaining()
          + " bytes left)");
    }
    byte[] b = new byte[(int) n];
    int done = 0;
    while (done < n) {
      need(1, what);
      int k = Math.min(window.remaining(), (int) n - done);
      window.get(b, done, k);
      done += k;
    }
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw fail(at + 8, what + " is not valid UTF-8");
    }
  }

  /** Positions the cursor at {@code offset} (at most the file's size). */
  void seek(long offset) {
    windowStart = offset;
    window.limit(0);
  }

  private void need(int n, String what) throws IOException {
    if (remaining() < n) {
      throw fail(offset(), "unexpected end of file reading " + what + " (" + n
          + " bytes needed, " + remaining() + " left)");
    }
    if (window.remaining() < n) {
      windowStart = offset();
      window.clear();
      while (window.hasRemaining() && channel.read(window, windowStart + window.position()) > 0) {
        // fill the window; the size check above guarantees the n bytes arrive
      }
      window.flip();
      if (window.remaining() < n) {
        throw fail(offset(), "file shrank while reading " + what);
      }
    }
  }
}
