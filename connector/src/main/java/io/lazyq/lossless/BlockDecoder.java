package io.lazyq.lossless;

import static io.lazyq.lossless.BlockFormat.BLOCK_VALUES;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a region written by {@link BlockEncoder}: checks its block table on {@link #open}, and each
 * block's structure the first time a read touches it, then decodes any range of values, touching
 * only the blocks that overlap it (a stream only the range, {@link StreamCursor}). Checking every
 * block up front cost as much as reading a chunk of 80-260 blocks (ColumnOpenBench), so a decoder
 * checks and decodes only the blocks it reads (the region's bytes themselves may have been read
 * whole: a local file's column chunk up to 16 MiB is read into a pooled buffer when the column
 * is opened, {@code LocalInputFile.Reader#fetchDecoded}); {@link #checkAll} checks (and decodes) every block, for the
 * verify paths. A block is copied out of the region (mapped or not) into scratch before it is
 * decoded, so the kernels run on a {@code byte[]}, the reading thread's scratch. Not thread-safe:
 * one thread reads a decoder at a time.
 *
 * <p>A read that touches a damaged block throws {@link LazyQFormatException} (the reads do not
 * declare it, as the region's bytes are normally checked by the column chunk's CRC32C first): the
 * region's offset of the block, or the file's where {@link #open(ByteBuffer, ValueKind, long,
 * String, long)} was told where the region lies, and what is wrong.
 */
public final class BlockDecoder {
  /** Scratch beyond a block's end that the kernels' 8-byte loads may touch. */
  private static final int SLACK = 32;
  /**
   * More than any block's bytes a value: a run's value and length as 64-bit frames (16), with a
   * decimal block's exception, its position and value (10). With {@link #MAX_HEADER_BYTES}, the
   * bound on a block's length, so that a thread's scratch never passes about 32 KiB.
   */
  private static final int MAX_BYTES_PER_VALUE = 32;
  /** More than the headers of a block and of its integer block and frames together. */
  private static final int MAX_HEADER_BYTES = 64;

  private final ByteBuffer region;
  private final ValueKind kind;
  private final long n;
  private final int[] offsets;
  /** The file or stream that holds the region, for errors; {@code null} if not known. */
  private final String source;
  /** Where the region starts in {@link #source}, added to the offsets of errors. */
  private final long base;
  /** Blocks whose structure has been checked, one bit each; {@code null} for a stream region. */
  private long[] checked;
  /**
   * Scratch of the thread that reads, taken from {@link Scratch#THREAD} by every read ({@link
   * #scratch}): nothing in it lives from one read to the next, so the decoders of one thread share
   * it, where each decoder's own 70 KB, zeroed on its first read, cost 0.1-0.2 ns a value of a
   * 45,626-82,000-value chunk.
   */
  private Scratch scratch;
  private byte[] bytes;
  private long[] ints;
  private long[] tmp;
  private float[] floats;
  private double[] doubles;
  private BlockKernels kernels;
  /** A stream region (scheme 10), read per range. */
  private StreamCursor stream;

  private BlockDecoder(ByteBuffer region, ValueKind kind, long n, int[] offsets, String source, long base) {
    this.region = region;
    this.kind = kind;
    this.n = n;
    this.offsets = offsets;
    this.source = source;
    this.base = base;
  }

  /**
   * {@link #open(ByteBuffer, ValueKind, long, String, long)} of a region whose errors name offsets
   * relative to it, and no source.
   */
  public static BlockDecoder open(ByteBuffer region, ValueKind kind, long n) throws LazyQFormatException {
    return open(region, kind, n, null, 0);
  }

  /**
   * Checks that {@code region} starts as an encoding of {@code n} values of {@code kind}: its block
   * table (count, offsets increasing to the region's end); a stream region whole, as its frame is
   * decompressed here. Each block's own fields (against its length, exception positions, a zstd
   * frame's decoded size) are checked when a read first touches it, or by {@link #checkAll}.
   *
   * @param source the file or stream that holds the region, named by errors, or {@code null}
   * @param regionOffset where the region starts in {@code source}: errors name offsets from there
   */
  public static BlockDecoder open(ByteBuffer region, ValueKind kind, long n, String source, long regionOffset)
      throws LazyQFormatException {
    ByteBuffer r = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int limit = r.limit();
    int blocks = BlockFormat.blockCount(n);
    if (limit < 4 || r.getInt(0) != blocks) {
      throw new LazyQFormatException(source, regionOffset, "an encoded region of " + n + " values must hold " + blocks
          + " blocks" + (limit < 4 ? "" : ", not " + Integer.toUnsignedString(r.getInt(0))));
    }
    long header = 4 + 4L * (blocks + 1);
    if (header > limit) {
      throw new LazyQFormatException(source, regionOffset + 4, "truncated block table: " + blocks + " blocks in " + limit
          + " bytes");
    }
    int[] offsets = new int[blocks + 1];
    for (int b = 0; b <= blocks; b++) {
      offsets[b] = r.getInt(4 + 4 * b);
      long floor = b == 0 ? header : offsets[b - 1] + 1L;
      if (offsets[b] < floor || offsets[b] > limit || (b == 0 && offsets[b] != header) || (b == blocks && offsets[b] != limit)) {
        throw new LazyQFormatException(source, regionOffset + 4 + 4L * b, "block offset " + b + " is "
            + Integer.toUnsignedString(offsets[b]) + "; offsets start after the table, increase, and end at the region's "
            + limit + " bytes");
      }
    }
    BlockDecoder d = new BlockDecoder(r, kind, n, offsets, source, regionOffset);
    if (blocks > 0 && r.get(offsets[0]) == BlockFormat.STREAM) {
      d.openStream();
    } else {
      d.checked = new long[(blocks + 63) >>> 6];
    }
    return d;
  }

  /**
   * Checks every block of the region, structure and data (a zstd frame's decoded size), as
   * {@code lazyq verify} and {@code verify=true} do; a stream region was checked whole on opening.
   */
  public void checkAll() throws LazyQFormatException {
    if (stream != null) {
      return;
    }
    scratch();
    for (int b = 0; b < offsets.length - 1; b++) {
      int m = BlockFormat.blockValues(n, b);
      // Decoding is the data's check: it decompresses a zstd frame and compares its size.
      switch (kind) {
        case FLOAT32:
          decodeFloats(b, m, floats, 0);
          break;
        case FLOAT64:
          decodeDoubles(b, m, doubles, 0);
          break;
        default:
          decodeBits(b, m);
      }
    }
  }

  /**
   * Throws the {@link LazyQFormatException} of block {@code b}'s {@code problem} from a read, whose
   * signature cannot declare it (the checked exception is thrown as it is, not wrapped, so that
   * callers see what every reader throws for bad input).
   */
  private RuntimeException damaged(int b, String problem) {
    throw BlockDecoder.<RuntimeException>sneaky(new LazyQFormatException(source, base + offsets[b], "block " + b + ": " + problem));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /**
   * Checks a stream region (scheme 10) and decompresses its frame, the one check that needs the
   * data; the stream is then read per range.
   */
  private void openStream() throws LazyQFormatException {
    for (int b = 1; b < offsets.length - 1; b++) {
      if (offsets[b + 1] - offsets[b] != 1 || region.get(offsets[b]) != BlockFormat.STREAM) {
        throw new LazyQFormatException(source, base + offsets[b], "block " + b + " of a stream region is not the single byte "
            + BlockFormat.STREAM);
      }
    }
    // The block (the region's compressed bytes) is copied into pooled scratch, not the decoder's
    // own, which would be a fresh array per region.
    int length = offsets[1] - offsets[0];
    byte[] block = ScratchPool.bytes(length + SLACK);
    try {
      region.get(offsets[0], block, 0, length);
      String problem = RegionStream.problem(block, length, kind, n);
      if (problem != null) {
        throw new LazyQFormatException(source, base + offsets[0], "block 0: " + problem);
      }
      // The planes are pooled too: the stream's cursor holds them until release().
      byte[] planes = ScratchPool.bytes((int) n * block[20]);
      boolean held = false;
      try {
        problem = RegionStream.planes(block, (int) n, planes);
        if (problem != null) {
          throw new LazyQFormatException(source, base + offsets[0], "block 0: " + problem);
        }
        stream = new StreamCursor(block, (int) n, kind, planes);
        held = true;
      } finally {
        if (!held) {
          ScratchPool.giveBack(planes);
        }
      }
    } finally {
      ScratchPool.giveBack(block);
    }
  }

  public ValueKind kind() {
    return kind;
  }

  public long size() {
    return n;
  }

  /**
   * Blocks per scheme as {@code scheme=count}, most used first; a decimal or quantized block shows
   * its integers' scheme ({@code decimal/delta}).
   */
  public String schemeSummary() {
    Map<String, Integer> counts = new HashMap<>();
    String stream = null; // every block of a stream region is the one stream, named by its header in block 0
    for (int b = 0; b < offsets.length - 1; b++) {
      int s = region.get(offsets[b]);
      String name = BlockFormat.schemeName(s);
      if (s == BlockFormat.DECIMAL || s == BlockFormat.QUANTIZED) {
        // Blocks are checked when read, so a summary must not read past a short one.
        int at = offsets[b] + integersAt(s);
        name += "/" + (at < offsets[b + 1] ? BlockFormat.schemeName(region.get(at)) : "truncated");
      } else if (s == BlockFormat.STREAM) {
        if (stream == null) {
          byte[] header = new byte[RegionStream.HEADER];
          region.get(offsets[0], header);
          stream = RegionStream.name(header);
        }
        name = stream;
      }
      counts.merge(name, 1, Integer::sum);
    }
    StringBuilder out = new StringBuilder();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.append(out.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue()));
    return out.toString();
  }

  /**
   * Gives the scratch a region holds (a stream's planes) back to {@link ScratchPool}; the decoder
   * reads no more. A decoder that is never released leaves its scratch to the collector.
   */
  public void release() {
    if (stream != null) {
      stream.release();
    }
  }

  /**
   * Reads values {@code [first, first + count)} of a float32 region into {@code dst[dstOff ..]}.
   * Throws {@link LazyQFormatException} (undeclared) if a block it touches is damaged.
   */
  public void readFloats(long first, int count, float[] dst, int dstOff) {
    require(ValueKind.FLOAT32, first, count);
    if (count == 0) {
      return; // touches no block: a damaged neighbour must not fail it
    }
    if (stream != null) {
      stream.read((int) first, count, dst, dstOff);
      return;
    }
    scratch();
    long end = first + count;
    for (int b = (int) (first / BLOCK_VALUES); (long) b * BLOCK_VALUES < end; b++) {
      long start = (long) b * BLOCK_VALUES;
      int m = BlockFormat.blockValues(n, b);
      int from = (int) Math.max(first - start, 0);
      int to = (int) Math.min(end - start, m);
      int at = dstOff + (int) (start + from - first);
      if (from == 0 && to == m) {
        decodeFloats(b, m, dst, at);
      } else {
        decodeFloats(b, m, floats, 0);
        System.arraycopy(floats, from, dst, at, to - from);
      }
    }
  }

  /**
   * Reads values {@code [first, first + count)} of a float64 region into {@code dst[dstOff ..]}.
   * Throws {@link LazyQFormatException} (undeclared) if a block it touches is damaged.
   */
  public void readDoubles(long first, int count, double[] dst, int dstOff) {
    require(ValueKind.FLOAT64, first, count);
    if (count == 0) {
      return; // touches no block: a damaged neighbour must not fail it
    }
    if (stream != null) {
      stream.readDoubles((int) first, count, dst, dstOff);
      return;
    }
    scratch();
    long end = first + count;
    for (int b = (int) (first / BLOCK_VALUES); (long) b * BLOCK_VALUES < end; b++) {
      long start = (long) b * BLOCK_VALUES;
      int m = BlockFormat.blockValues(n, b);
      int from = (int) Math.max(first - start, 0);
      int to = (int) Math.min(end - start, m);
      int at = dstOff + (int) (start + from - first);
      if (from == 0 && to == m) {
        decodeDoubles(b, m, dst, at);
      } else {
        decodeDoubles(b, m, doubles, 0);
        System.arraycopy(doubles, from, dst, at, to - from);
      }
    }
  }

  /**
   * Reads the bit patterns of values {@code [first, first + count)} (an int32 sign-extended, a
   * float's raw bits) into {@code dst[dstOff ..]}: how integer and timestamp regions are read.
   * Throws {@link LazyQFormatException} (undeclared) if a block it touches is damaged.
   */
  public void readLongs(long first, int count, long[] dst, int dstOff) {
    if (first < 0 || count < 0 || first + count > n) {
      throw new IndexOutOfBoundsException("values [" + first + ", " + (first + count) + ") of " + n);
    }
    if (count == 0) {
      return; // touches no block: a damaged neighbour must not fail it
    }
    if (stream != null && kind != ValueKind.FLOAT32) {
      stream.readLongs((int) first, count, dst, dstOff);
      return;
    }
    scratch();
    long end = first + count;
    for (int b = (int) (first / BLOCK_VALUES); (long) b * BLOCK_VALUES < end; b++) {
      long start = (long) b * BLOCK_VALUES;
      int m = BlockFormat.blockValues(n, b);
      int from = (int) Math.max(first - start, 0);
      int to = (int) Math.min(end - start, m);
      decodeBits(b, m);
      System.arraycopy(ints, from, dst, dstOff + (int) (start + from - first), to - from);
    }
  }

  /**
   * Decodes the whole region into the plain layout: {@code n} little-endian values of the kind's
   * width. Throws {@link LazyQFormatException} (undeclared) if a block is damaged.
   */
  public ByteBuffer decodeAll() {
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(n * kind.width())).order(ByteOrder.LITTLE_ENDIAN);
    scratch();
    int blocks = offsets.length - 1;
    for (int b = 0; b < blocks; b++) {
      int m = BlockFormat.blockValues(n, b);
      int at = b * BLOCK_VALUES * kind.width();
      switch (kind) {
        case FLOAT32:
          decodeFloats(b, m, floats, 0);
          out.position(at);
          out.asFloatBuffer().put(floats, 0, m);
          break;
        case FLOAT64:
          decodeDoubles(b, m, doubles, 0);
          out.position(at);
          out.asDoubleBuffer().put(doubles, 0, m);
          break;
        case INT32:
          decodeBits(b, m);
          for (int i = 0; i < m; i++) {
            out.putInt(at + 4 * i, (int) ints[i]);
          }
          break;
        default:
          decodeBits(b, m);
          out.position(at);
          out.asLongBuffer().put(ints, 0, m);
      }
    }
    return out.clear();
  }

  private void require(ValueKind k, long first, int count) {
    if (kind != k) {
      throw new IllegalStateException("a " + kind + " region read as " + k);
    }
    if (first < 0 || count < 0 || first + count > n) {
      throw new IndexOutOfBoundsException("values [" + first + ", " + (first + count) + ") of " + n);
    }
  }

  /**
   * Copies block {@code b} into {@code bytes} and, the first time, checks its structure, so that
   * the kernels may trust its fields; returns its length.
   */
  private int load(int b) {
    int length = offsets[b + 1] - offsets[b];
    if (length > MAX_BYTES_PER_VALUE * BlockFormat.blockValues(n, b) + MAX_HEADER_BYTES) {
      // Before the scratch grows to it: the thread keeps its scratch, so an offset from the file must not size it.
      throw damaged(b, "a block of " + BlockFormat.blockValues(n, b) + " values cannot take " + length + " bytes");
    }
    if (bytes.length < length + SLACK) {
      bytes = scratch.bytes = new byte[length + SLACK];
    }
    region.get(offsets[b], bytes, 0, length);
    if ((checked[b >>> 6] & 1L << b) == 0) {
      String problem = problem(b, length);
      if (problem != null) {
        throw damaged(b, problem);
      }
      checked[b >>> 6] |= 1L << b;
    }
    return length;
  }

  /** Takes this thread's scratch: the start of every read, as a decoder may be read by another thread than the last. */
  private void scratch() {
    Scratch t = Scratch.THREAD.get();
    if (t != scratch) {
      scratch = t;
      ints = t.ints;
      tmp = t.tmp;
      floats = t.floats;
      doubles = t.doubles;
      kernels = t.kernels;
    }
    // Another decoder of this thread may have grown it since.
    bytes = t.bytes;
  }

  /** One thread's decoding scratch; {@link #bytes} grows for a block larger than any before, up to a block's bound. */
  private static final class Scratch {
    static final ThreadLocal<Scratch> THREAD = ThreadLocal.withInitial(Scratch::new);

    byte[] bytes = new byte[1 + 2 * BLOCK_VALUES * 8 + SLACK];
    final long[] ints = new long[BLOCK_VALUES];
    final long[] tmp = new long[2 * BLOCK_VALUES];
    final float[] floats = new float[BLOCK_VALUES];
    final double[] doubles = new double[BLOCK_VALUES];
    final BlockKernels kernels = new BlockKernels();
  }

  /** Where the integer block of a decimal or quantized block starts. */
  private static int integersAt(int scheme) {
    return scheme == BlockFormat.DECIMAL ? BlockFormat.DECIMAL_HEADER : BlockFormat.QUANTIZED_HEADER;
  }

  /** The exception count of the loaded decimal or quantized block. */
  private int exceptionCount(int s) {
    return BlockFormat.u16(bytes, s == BlockFormat.DECIMAL ? 2 : 9);
  }

  private void decodeFloats(int b, int m, float[] dst, int off) {
    if (stream != null) {
      stream.read(b * BLOCK_VALUES, m, dst, off);
      return;
    }
    load(b);
    int s = bytes[0];
    if (s == BlockFormat.DECIMAL || s == BlockFormat.QUANTIZED) {
      int at = integersAt(s);
      int x = exceptionCount(s);
      // A decimal's float32 is its integer times 10^-e rounded once in double, as a quantized
      // value is its code times the step: one loop for both.
      double scale = s == BlockFormat.DECIMAL ? BlockFormat.INV_POW10[bytes[1]] : BlockFormat.f64(bytes, 1);
      int inner = bytes[at];
      if (inner == BlockFormat.FRAME) {
        Frame.readScaled(bytes, at + 1, m, scale, false, 0, dst, off);
      } else if (inner == BlockFormat.DELTA) {
        long first = BlockFormat.i64(bytes, at + 1);
        dst[off] = (float) (first * scale);
        Frame.readScaled(bytes, at + 9, m - 1, scale, true, first, dst, off + 1);
      } else if (!kernels.floats(bytes, at, m, scale, false, dst, off)) {
        readInts(b, at, m);
        for (int i = 0; i < m; i++) {
          dst[off + i] = (float) (ints[i] * scale);
        }
      }
      int positions = IntBlock.end(bytes, at, m, bytes.length);
      int values = positions + 2 * x;
      for (int j = 0; j < x; j++) {
        dst[off + BlockFormat.u16(bytes, positions + 2 * j)] = Float.intBitsToFloat(BlockFormat.i32(bytes, values + 4 * j));
      }
    } else if (s == BlockFormat.VERBATIM) {
      for (int i = 0; i < m; i++) {
        dst[off + i] = Float.intBitsToFloat(BlockFormat.i32(bytes, 1 + 4 * i));
      }
    } else if (s == BlockFormat.FRAME) {
      // A float's raw bits unpacked straight to float32, as a decimal's integers are scaled.
      Frame.readBits(bytes, 1, m, false, 0, dst, off);
    } else if (s == BlockFormat.DELTA) {
      long first = BlockFormat.i64(bytes, 1);
      dst[off] = Float.intBitsToFloat((int) first);
      Frame.readBits(bytes, 9, m - 1, true, first, dst, off + 1);
    } else if (!kernels.floats(bytes, 0, m, 1, true, dst, off)) {
      decodeLoaded(b, m);
      for (int i = 0; i < m; i++) {
        dst[off + i] = Float.intBitsToFloat((int) ints[i]);
      }
    }
  }

  private void decodeDoubles(int b, int m, double[] dst, int off) {
    if (stream != null) {
      stream.readDoubles(b * BLOCK_VALUES, m, dst, off);
      return;
    }
    load(b);
    int s = bytes[0];
    if (s == BlockFormat.DECIMAL || s == BlockFormat.QUANTIZED) {
      int at = integersAt(s);
      int x = exceptionCount(s);
      boolean decimal = s == BlockFormat.DECIMAL;
      // A decimal divides by 10^e (correctly rounded, so equal to the parsed decimal); a quantized value multiplies.
      double factor = decimal ? BlockFormat.POW10[bytes[1]] : BlockFormat.f64(bytes, 1);
      if (!kernels.doubles(bytes, at, m, factor, decimal ? BlockKernels.DIVIDE : BlockKernels.MULTIPLY, dst, off)) {
        readInts(b, at, m);
        if (decimal) {
          for (int i = 0; i < m; i++) {
            dst[off + i] = ints[i] / factor;
          }
        } else {
          for (int i = 0; i < m; i++) {
            dst[off + i] = ints[i] * factor;
          }
        }
      }
      int positions = IntBlock.end(bytes, at, m, bytes.length);
      int values = positions + 2 * x;
      for (int j = 0; j < x; j++) {
        dst[off + BlockFormat.u16(bytes, positions + 2 * j)] = Double.longBitsToDouble(BlockFormat.i64(bytes, values + 8 * j));
      }
    } else if (s == BlockFormat.VERBATIM) {
      for (int i = 0; i < m; i++) {
        dst[off + i] = Double.longBitsToDouble(BlockFormat.i64(bytes, 1 + 8 * i));
      }
    } else if (!kernels.doubles(bytes, 0, m, 1, BlockKernels.BITS, dst, off)) {
      decodeLoaded(b, m);
      for (int i = 0; i < m; i++) {
        dst[off + i] = Double.longBitsToDouble(ints[i]);
      }
    }
  }

  /** Decodes block {@code b}'s bit patterns into {@code ints}. */
  private void decodeBits(int b, int m) {
    if (stream != null && kind != ValueKind.FLOAT32) {
      stream.readLongs(b * BLOCK_VALUES, m, ints, 0);
      return;
    }
    if (stream != null) {
      float[] f = floats;
      stream.read(b * BLOCK_VALUES, m, f, 0);
      for (int i = 0; i < m; i++) {
        ints[i] = Float.floatToRawIntBits(f[i]);
      }
      return;
    }
    load(b);
    int s = bytes[0];
    if (s == BlockFormat.DECIMAL || s == BlockFormat.QUANTIZED) {
      if (kind == ValueKind.FLOAT32) {
        float[] f = floats;
        decodeFloats(b, m, f, 0);
        for (int i = 0; i < m; i++) {
          ints[i] = Float.floatToRawIntBits(f[i]);
        }
      } else {
        double[] d = doubles;
        decodeDoubles(b, m, d, 0);
        for (int i = 0; i < m; i++) {
          ints[i] = Double.doubleToRawLongBits(d[i]);
        }
      }
    } else if (s == BlockFormat.VERBATIM) {
      for (int i = 0; i < m; i++) {
        ints[i] = kind.width() == 4 ? BlockFormat.i32(bytes, 1 + 4 * i) : BlockFormat.i64(bytes, 1 + 8 * i);
      }
    } else {
      decodeLoaded(b, m);
    }
  }

  /** Decodes the integer block at {@code bytes[at]} of loaded block {@code b} into {@code ints}. */
  private void readInts(int b, int at, int m) {
    String problem = IntBlock.read(bytes, at, m, ints, tmp);
    if (problem != null) {
      throw damaged(b, problem);
    }
  }

  /** Decodes the loaded integer or split + zstd block {@code b} into {@code ints}. */
  private void decodeLoaded(int b, int m) {
    if (bytes[0] != BlockFormat.SPLIT_ZSTD) {
      readInts(b, 0, m);
      return;
    }
    int w = kind.width();
    byte[] split = IntBlock.unsplitScratch();
    long got = BlockFormat.unzstd(split, m * w, bytes, 5, BlockFormat.i32(bytes, 1));
    if (got != (long) m * w) {
      // The frame is decompressed when read, so this is where its damage shows.
      throw damaged(b, "zstd data decodes to " + (got < 0 ? "an error" : got + " bytes") + ", not " + m * w);
    }
    for (int i = 0; i < m; i++) {
      long v = 0;
      for (int j = w - 1; j >= 0; j--) {
        v = v << 8 | (split[j * m + i] & 0xFF);
      }
      ints[i] = w == 4 ? (int) v : v;
    }
  }

  /**
   * The structural problem of block {@code b}, loaded into {@code bytes} with its {@code length},
   * or {@code null}: every field a kernel trusts. A zstd frame's data is checked as it is decoded.
   */
  private String problem(int b, int length) {
    int m = BlockFormat.blockValues(n, b);
    int w = kind.width();
    int s = bytes[0];
    switch (s) {
      case BlockFormat.VERBATIM:
        return length == 1 + m * w ? null : "a verbatim block of " + m + " values holds " + length + " bytes";
      case BlockFormat.DECIMAL:
      case BlockFormat.QUANTIZED: {
        String name = BlockFormat.schemeName(s);
        int at = integersAt(s);
        if (!kind.isFloating()) {
          return "a " + name + " block in a " + kind + " region";
        }
        if (length < at + 1) {
          return "truncated " + name + " block";
        }
        int x = exceptionCount(s);
        if (x > m) {
          return x + " exceptions in " + m + " values";
        }
        if (s == BlockFormat.DECIMAL && (bytes[1] < 0 || bytes[1] > BlockFormat.MAX_EXPONENT)) {
          return "decimal exponent " + bytes[1] + " out of range";
        }
        if (s == BlockFormat.QUANTIZED && !(BlockFormat.f64(bytes, 1) > 0 && Double.isFinite(BlockFormat.f64(bytes, 1)))) {
          return "quantized step " + BlockFormat.f64(bytes, 1) + " is not a positive number";
        }
        int inner = bytes[at];
        if (inner == BlockFormat.DECIMAL || inner == BlockFormat.QUANTIZED || inner == BlockFormat.VERBATIM
            || inner == BlockFormat.SPLIT_ZSTD) {
          return "a " + name + " block's integers use scheme " + inner;
        }
        int positions = IntBlock.end(bytes, at, m, length);
        if (positions < 0 || (long) positions + (long) x * (2 + w) != length) {
          return name + " block fields do not fill its " + length + " bytes";
        }
        for (int j = 0; j < x; j++) {
          if (BlockFormat.u16(bytes, positions + 2 * j) >= m) {
            return "exception position " + BlockFormat.u16(bytes, positions + 2 * j) + " of " + m + " values";
          }
        }
        return null;
      }
      case BlockFormat.SPLIT_ZSTD:
        return length >= 5 && BlockFormat.i32(bytes, 1) == length - 5 ? null
            : "a zstd block's length field does not match its " + length + " bytes";
      case BlockFormat.STREAM:
        return "a stream block after block 0 of a region that is not a stream";
      default:
        return IntBlock.end(bytes, 0, m, length) == length ? null : "integer block " + s + " does not fill its " + length
            + " bytes";
    }
  }
}
