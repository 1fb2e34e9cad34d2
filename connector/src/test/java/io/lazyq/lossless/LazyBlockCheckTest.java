package io.lazyq.lossless;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A block is checked when a read first touches it: damage in a late block leaves the ranges before
 * it readable, and the first read that touches it (and every one after) is refused with the
 * block's offset, as {@link BlockDecoder#checkAll} refuses the region.
 */
class LazyBlockCheckTest {
  private static final int N = 10 * 1024 + 300;
  private static final int LATE = 8;

  /** Two-decimal readings: decimal blocks, exact, with one value in a hundred an exception. */
  private static float[] readings() {
    return readings(N);
  }

  private static float[] readings(int n) {
    Random r = new Random(3);
    float[] f = new float[n];
    long walk = 2000;
    for (int i = 0; i < n; i++) {
      walk += r.nextInt(41) - 20;
      f[i] = i % 100 == 7 ? Float.NaN : Float.parseFloat(java.math.BigDecimal.valueOf(walk, 2).toPlainString());
    }
    return f;
  }

  private static ByteBuffer plain(float[] f) {
    ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(f);
    return b;
  }

  private static ByteBuffer copy(ByteBuffer region) {
    return ByteBuffer.allocate(region.limit()).order(ByteOrder.LITTLE_ENDIAN).put(region.duplicate()).flip();
  }

  private static int blockOffset(ByteBuffer region, int b) {
    return region.getInt(4 + 4 * b);
  }

  /**
   * Blocks 64 apart share a bit's position in neighbouring words of the checked set: reading block
   * 70 first must not pass block 6 as checked; a read of no values next to the damage reads nothing.
   */
  @Test
  void blocksSixtyFourApartAreCheckedApart() throws LazyQFormatException {
    int n = 140 * 1024;
    float[] f = readings(n);
    ByteBuffer region = BlockEncoder.lightweight(ValueKind.FLOAT32, 0).encode(plain(f), n);
    int at = blockOffset(region, 6);
    ByteBuffer bad = copy(region);
    assertEquals(BlockFormat.DECIMAL, bad.get(at), "block 6 is a decimal block");
    bad.put(at + 1, (byte) 99);
    BlockDecoder d = BlockDecoder.open(bad, ValueKind.FLOAT32, n);
    float[] block = new float[1024];
    d.readFloats(70 * 1024L, 1024, block, 0);
    assertArrayEquals(java.util.Arrays.copyOfRange(f, 70 * 1024, 71 * 1024), block, "block 70 reads as written");
    d.readFloats(6 * 1024L + 5, 0, block, 0);
    LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> d.readFloats(6 * 1024L, 1024, block, 0));
    assertEquals(at, e.offset());
  }

  @Test
  void damageInALateBlockIsFoundByTheReadThatTouchesIt() throws LazyQFormatException {
    float[] f = readings();
    ByteBuffer region = BlockEncoder.lightweight(ValueKind.FLOAT32, 0).encode(plain(f), N);
    int at = blockOffset(region, LATE);
    ByteBuffer bad = copy(region);
    assertEquals(BlockFormat.DECIMAL, bad.get(at), "the late block is a decimal block");
    bad.put(at + 1, (byte) 99); // its exponent, out of range
    long fileOffset = 1_000_000;
    BlockDecoder d = BlockDecoder.open(bad, ValueKind.FLOAT32, N, "t.lzq", fileOffset);

    float[] early = new float[LATE * 1024];
    d.readFloats(0, early.length, early, 0);
    assertArrayEquals(java.util.Arrays.copyOf(f, early.length), early, "the blocks before the damage read as written");

    for (int round = 0; round < 2; round++) { // refused again, not read as checked the second time
      LazyQFormatException e = assertThrows(LazyQFormatException.class,
          () -> d.readFloats(LATE * 1024L - 5, 10, new float[10], 0));
      assertEquals("t.lzq", e.source());
      assertEquals(fileOffset + at, e.offset());
      assertEquals("block 8: decimal exponent 99 out of range", e.problem());
    }
    // The blocks after it still read.
    float[] late = new float[N - (LATE + 1) * 1024];
    d.readFloats((LATE + 1) * 1024L, late.length, late, 0);
    assertArrayEquals(java.util.Arrays.copyOfRange(f, (LATE + 1) * 1024, N), late);

    LazyQFormatException all = assertThrows(LazyQFormatException.class,
        () -> BlockDecoder.open(bad, ValueKind.FLOAT32, N).checkAll());
    assertEquals(at, all.offset(), "without a source, the offset is the region's");
    assertThrows(LazyQFormatException.class, () -> BlockDecoder.open(bad, ValueKind.FLOAT32, N).decodeAll());
    BlockDecoder.open(region, ValueKind.FLOAT32, N).checkAll();
  }

  /** A zstd block is decompressed when first read, so a damaged frame is found then, not on opening. */
  @Test
  void aDamagedZstdFrameIsFoundWhenItsBlockIsRead() throws LazyQFormatException {
    Random r = new Random(5);
    long[] bits = new long[N];
    for (int i = 0; i < N; i++) {
      bits[i] = Float.floatToRawIntBits((float) r.nextGaussian());
    }
    for (ValueKind kind : new ValueKind[] {ValueKind.FLOAT32, ValueKind.INT64}) {
      ByteBuffer region = zstdRegion(kind, bits);
      int zstd = LATE;
      int at = blockOffset(region, zstd);
      ByteBuffer bad = copy(region);
      int length = blockOffset(region, zstd + 1) - at;
      for (int i = at + 5; i < at + length; i++) {
        bad.put(i, (byte) 0x5A); // the frame's bytes, its length field kept
      }
      BlockDecoder d = BlockDecoder.open(bad, kind, N);
      long[] early = new long[zstd * 1024];
      d.readLongs(0, early.length, early, 0);
      for (int i = 0; i < early.length; i++) {
        assertEquals(bits[i], early[i], "value " + i);
      }
      LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> d.readLongs(zstd * 1024L, 1, new long[1], 0));
      assertEquals(at, e.offset());
      assertTrue(e.problem().startsWith("block " + zstd + ": zstd"), e.problem());
      if (kind == ValueKind.FLOAT32) {
        assertThrows(LazyQFormatException.class, () -> d.readFloats(zstd * 1024L + 3, 1, new float[1], 0));
      }
      assertThrows(LazyQFormatException.class, () -> BlockDecoder.open(bad, kind, N).checkAll());
    }
  }

  /** A region of split + zstd blocks, written here from the layout (an encoder picks them only where they pay). */
  private static ByteBuffer zstdRegion(ValueKind kind, long[] bits) {
    int blocks = BlockFormat.blockCount(bits.length);
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    int[] offsets = new int[blocks + 1];
    int header = 4 + 4 * (blocks + 1);
    int w = kind.width();
    for (int b = 0; b < blocks; b++) {
      offsets[b] = header + body.size();
      int m = BlockFormat.blockValues(bits.length, b);
      byte[] planes = new byte[m * w];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < w; j++) {
          planes[j * m + i] = (byte) (bits[b * 1024 + i] >>> (8 * j));
        }
      }
      byte[] frame = com.github.luben.zstd.Zstd.compress(planes, 3);
      ByteBuffer block = ByteBuffer.allocate(5 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
      block.put((byte) BlockFormat.SPLIT_ZSTD).putInt(frame.length).put(frame);
      body.writeBytes(block.array());
    }
    offsets[blocks] = header + body.size();
    ByteBuffer region = ByteBuffer.allocate(offsets[blocks]).order(ByteOrder.LITTLE_ENDIAN).putInt(blocks);
    for (int o : offsets) {
      region.putInt(o);
    }
    return region.put(body.toByteArray()).flip();
  }

  /**
   * Any byte changed anywhere: opening refuses it or not, and then each block's read either
   * succeeds or throws {@link LazyQFormatException}, nothing else; {@link BlockDecoder#checkAll}
   * refuses the region exactly when some block's read does.
   */
  @Test
  void anyDamageGivesAFormatExceptionFromTheReadThatTouchesIt() {
    float[] f = readings();
    Random r = new Random(11);
    for (int i = 0; i < N; i += 1 + r.nextInt(3000)) {
      f[i] = Float.intBitsToFloat(r.nextInt()); // exceptions, and some blocks verbatim
    }
    for (boolean lightweight : new boolean[] {true, false}) {
      ByteBuffer region = (lightweight ? BlockEncoder.lightweight(ValueKind.FLOAT32, 0) : new BlockEncoder(ValueKind.FLOAT32))
          .encode(plain(f), N);
      for (int trial = 0; trial < 1500; trial++) {
        ByteBuffer bad = copy(region);
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
          bad.put(r.nextInt(bad.limit()), (byte) r.nextInt(256));
        }
        BlockDecoder d;
        try {
          d = BlockDecoder.open(bad, ValueKind.FLOAT32, N);
        } catch (LazyQFormatException refused) {
          continue;
        }
        boolean refused = false;
        float[] out = new float[1024];
        for (int b = 0; b * 1024 < N; b++) {
          try {
            d.readFloats(b * 1024L, Math.min(1024, N - b * 1024), out, 0);
          } catch (RuntimeException e) {
            fail("block " + b + " gave " + e, e);
          } catch (Exception e) {
            assertTrue(e instanceof LazyQFormatException, e.toString());
            refused = true;
          }
        }
        try {
          BlockDecoder.open(bad, ValueKind.FLOAT32, N).checkAll();
          assertTrue(!refused, "checkAll passed a region a read refused");
        } catch (LazyQFormatException e) {
          assertTrue(refused, "checkAll refused a region every read passed: " + e.getMessage());
        }
      }
    }
  }
}
