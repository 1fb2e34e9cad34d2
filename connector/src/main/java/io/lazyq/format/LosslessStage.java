package io.lazyq.format;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The optional lossless stage over a column chunk's stored values: zstd (through zstd-jni, which
 * Spark already ships). A writer keeps the compressed form only where it saves at least
 * {@link #MIN_SAVING}; a compressed column is decoded into the heap when it is touched, so it
 * trades the zero-copy path for size.
 */
public final class LosslessStage {
  /** The smallest saving worth giving up zero-copy reads for. */
  public static final double MIN_SAVING = 0.05;
  static final int LEVEL = 3;
  /** A column chunk never decodes to more than this, whatever its descriptor claims. */
  static final long MAX_DECODED_BYTES = WriterOptions.MAX_CHUNK_BYTES;

  private LosslessStage() {}

  /** Compressed bytes, or {@code null} where compression would not save {@link #MIN_SAVING}. */
  static ByteBuffer compressIfItPays(ByteBuffer values) {
    byte[] src = new byte[values.remaining()];
    values.duplicate().get(src);
    byte[] packed = Zstd.compress(src, LEVEL);
    if (packed.length > src.length * (1 - MIN_SAVING)) {
      return null;
    }
    return ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Decodes a compressed buffer of exactly {@code decodedLength} bytes. Memory grows only as
   * decompressed bytes actually arrive, so a false length cannot make it allocate.
   */
  static ByteBuffer decompress(ByteBuffer packed, long decodedLength, String source, long offset)
      throws LazyQFormatException {
    if (decodedLength > MAX_DECODED_BYTES) {
      throw new LazyQFormatException(source, offset, "a column chunk claims " + decodedLength
          + " decoded bytes, more than the " + MAX_DECODED_BYTES + " a chunk may hold");
    }
    byte[] src = new byte[packed.remaining()];
    packed.duplicate().get(src);
    int expected = (int) decodedLength;
    byte[] out = new byte[(int) Math.min(expected, Math.max(4096L, 4L * src.length))];
    int filled = 0;
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(src))) {
      while (true) {
        if (filled == out.length) {
          if (filled == expected) {
            if (in.read() >= 0) {
              throw new LazyQFormatException(source, offset, "zstd data decodes to more than the " + expected + " bytes declared");
            }
            break;
          }
          out = Arrays.copyOf(out, (int) Math.min(expected, 2L * out.length));
        }
        int n = in.read(out, filled, out.length - filled);
        if (n < 0) {
          break;
        }
        filled += n;
      }
    } catch (IOException e) {
      if (e instanceof LazyQFormatException) {
        throw (LazyQFormatException) e;
      }
      throw new LazyQFormatException(source, offset, "corrupt zstd data: " + e.getMessage(), e);
    }
    if (filled != expected) {
      throw new LazyQFormatException(source, offset, "zstd data decodes to " + filled + " bytes, " + expected + " declared");
    }
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  }
}
