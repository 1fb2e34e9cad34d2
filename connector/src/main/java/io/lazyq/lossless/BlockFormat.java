package io.lazyq.lossless;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The layout of an encoded region, shared by {@link BlockEncoder} and {@link BlockDecoder}.
 *
 * <pre>
 * u32 blockCount                 ceil(n / 1024)
 * u32 offsets[blockCount + 1]    start of each block in the region; the last is the region's length
 * block*                         u8 scheme, then the scheme's fields
 * </pre>
 *
 * <p>Every block holds {@link #BLOCK_VALUES} values, the last one the rest. A <em>frame</em>
 * ({@link Frame}) is the frame-of-reference run that most schemes are built from. Values are
 * handled as 64-bit patterns: an int32 sign-extended, a float32's or float64's raw bits.
 *
 * <table>
 * <caption>Block schemes</caption>
 * <tr><th>id</th><th>scheme</th><th>fields</th></tr>
 * <tr><td>0</td><td>verbatim</td><td>m values of the kind's width</td></tr>
 * <tr><td>1</td><td>constant</td><td>i64 v</td></tr>
 * <tr><td>2</td><td>frame</td><td>frame(m)</td></tr>
 * <tr><td>3</td><td>delta</td><td>i64 first, frame(m - 1) of differences</td></tr>
 * <tr><td>4</td><td>runs</td><td>u16 r, frame(r) of run values, frame(r) of run lengths</td></tr>
 * <tr><td>5</td><td>dictionary</td><td>u16 k, frame(k) of distinct values, frame(m) of indexes</td></tr>
 * <tr><td>6</td><td>decimal</td><td>u8 e, u16 x, an integer block (1-5) of m integers,
 *     u16 positions[x], x exceptions of the kind's width</td></tr>
 * <tr><td>7</td><td>split + zstd</td><td>u32 L, a zstd frame of L bytes that holds byte 0 of
 *     every value, then byte 1 of every value, and so on</td></tr>
 * <tr><td>8</td><td>quantized</td><td>f64 s, u16 x, an integer block (1-5, 9) of m integers q,
 *     u16 positions[x], x exceptions of the kind's width; value q * s (rounded to float32 for a
 *     float32 region). Written only under an error bound, which the column records.</td></tr>
 * <tr><td>9</td><td>codes + zstd</td><td>i64 base, u8 b (1 to 8), u32 L, a zstd frame of L
 *     bytes that holds byte 0 of every {@code v - base}, then byte 1, up to byte b - 1; an integer
 *     scheme, for the integers of a decimal or quantized block as well as for integer values</td></tr>
 * <tr><td>10</td><td>stream</td><td>in block 0: the integers of the whole region, a predictor,
 *     byte planes under one zstd frame, exceptions ({@link RegionStream}); every other block is the
 *     single byte 10</td></tr>
 * </table>
 *
 * <p>A decimal block (6) written under an error bound may hold integers whose decimal is within
 * the bound of the value rather than equal to it; its layout is the same.
 */
public final class BlockFormat {
  /** The version of this layout, recorded nowhere else: a new layout gets a new lossless stage id. */
  public static final int VERSION = 1;
  /** Values per block: small enough that a batch of 4096 rows decodes whole blocks, large enough that headers cost under 3%. */
  public static final int BLOCK_VALUES = 1024;

  static final int VERBATIM = 0;
  static final int CONSTANT = 1;
  static final int FRAME = 2;
  static final int DELTA = 3;
  static final int RUNS = 4;
  static final int DICTIONARY = 5;
  static final int DECIMAL = 6;
  static final int SPLIT_ZSTD = 7;
  static final int QUANTIZED = 8;
  static final int CODES_ZSTD = 9;
  static final int STREAM = 10;

  static final String[] NAMES = {"verbatim", "constant", "frame", "delta", "runs", "dictionary", "decimal", "split+zstd",
      "quantized", "codes+zstd", "stream"};

  /** Bytes before the integer block: scheme, exponent, exception count. */
  static final int DECIMAL_HEADER = 4;
  /** Bytes before the integer block: scheme, step, exception count. */
  static final int QUANTIZED_HEADER = 11;

  /** The zstd level of split + zstd and codes + zstd blocks. */
  static final int ZSTD_LEVEL = 3;

  /** The most code bytes a stream decodes to, whatever its header claims: a chunk's bytes. */
  static final long MAX_STREAM_BYTES = 1L << 30;

  /** The largest decimal exponent: 10^e and 10^-e are exact or correctly rounded doubles up to 22. */
  static final int MAX_EXPONENT = 22;
  static final double[] POW10 = new double[MAX_EXPONENT + 1];
  static final double[] INV_POW10 = new double[MAX_EXPONENT + 1];

  static {
    for (int e = 0; e <= MAX_EXPONENT; e++) {
      POW10[e] = Double.parseDouble("1e" + e);
      INV_POW10[e] = Double.parseDouble("1e-" + e);
    }
  }

  /**
   * One decompression context per thread, reused: a context made per call (what
   * {@code Zstd.decompressByteArray} does) cost more than the decompression of a block of 1024
   * values. Its native memory lives as long as the thread, as pooled reader threads do.
   */
  private static final ThreadLocal<ZstdDecompressCtx> UNZSTD = ThreadLocal.withInitial(ZstdDecompressCtx::new);

  /**
   * This thread's zstd decompression context, for whole frames of the format's other parts (the
   * lossless stage over a column chunk): reused, so it must not be kept or handed to another thread.
   */
  public static ZstdDecompressCtx zstdContext() {
    return UNZSTD.get();
  }

  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private BlockFormat() {}

  /** The name of a scheme id, for tools. */
  public static String schemeName(int id) {
    return id >= 0 && id < NAMES.length ? NAMES[id] : "unknown(" + id + ")";
  }

  /** Blocks for {@code n} values. */
  static int blockCount(long n) {
    return (int) ((n + BLOCK_VALUES - 1) / BLOCK_VALUES);
  }

  /** Values in block {@code b} of a region of {@code n}. */
  static int blockValues(long n, int b) {
    return (int) Math.min(BLOCK_VALUES, n - (long) b * BLOCK_VALUES);
  }

  /**
   * The decimal value of integer {@code v} at exponent {@code e}, as the kind's float bits.
   * float32 multiplies by 10^-e (one rounding in double, then float: exact for every decimal of up
   * to 9 digits the encoder accepted, which it checks); float64 divides, which is correctly rounded
   * and so equals the parsed decimal.
   */
  static float decimalFloat(long v, int e) {
    return (float) (v * INV_POW10[e]);
  }

  static double decimalDouble(long v, int e) {
    return v / POW10[e];
  }

  /**
   * Decompresses the zstd frame at {@code src[off, off + length)} into {@code dst[0, capacity)};
   * returns the bytes decoded, or -1 for data that is not a frame or does not fit.
   */
  static long unzstd(byte[] dst, int capacity, byte[] src, int off, int length) {
    try {
      return UNZSTD.get().decompressByteArray(dst, 0, capacity, src, off, length);
    } catch (RuntimeException e) {
      // zstd-jni throws ZstdException on corrupt data rather than returning its error code.
      return -1;
    }
  }

  static double f64(byte[] b, int off) {
    return Double.longBitsToDouble(i64(b, off));
  }

  static int u16(byte[] b, int off) {
    return (short) SHORT.get(b, off) & 0xFFFF;
  }

  static int i32(byte[] b, int off) {
    return (int) INT.get(b, off);
  }

  static long i64(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }

  static void putU16(byte[] b, int off, int v) {
    SHORT.set(b, off, (short) v);
  }

  static void putI32(byte[] b, int off, int v) {
    INT.set(b, off, v);
  }

  static void putI64(byte[] b, int off, long v) {
    LONG.set(b, off, v);
  }
}
