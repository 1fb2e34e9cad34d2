package io.lazyq.lossless;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.LazyQFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoders of one thread share its scratch: reads of two decoders taken in turn, each of part
 * of a block, give each region's own values; a block longer than any encoding of its values is
 * refused before the scratch grows to it.
 */
class SharedScratchTest {
  private static ByteBuffer plain(float[] f) {
    ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(f);
    return b;
  }

  @Test
  void twoDecodersReadInTurnOnOneThread() throws LazyQFormatException {
    int n = 5 * 1024 + 77;
    Random r = new Random(11);
    float[] noise = new float[n]; // verbatim blocks: the largest a thread's scratch holds
    float[] steps = new float[n]; // decimal and run blocks: small ones
    for (int i = 0; i < n; i++) {
      noise[i] = Float.intBitsToFloat(r.nextInt());
      steps[i] = (i / 300) * 0.25f;
    }
    BlockDecoder a = BlockDecoder.open(BlockEncoder.lightweight(ValueKind.FLOAT32, 0).encode(plain(noise), n), ValueKind.FLOAT32, n);
    BlockDecoder b = BlockDecoder.open(BlockEncoder.lightweight(ValueKind.FLOAT32, 0).encode(plain(steps), n), ValueKind.FLOAT32, n);
    int reads = 0;
    for (int first = 0; first < n; first += 611) {
      int count = Math.min(700, n - first); // crosses blocks, starts and ends inside them
      float[] x = new float[count];
      float[] y = new float[count];
      b.readFloats(first, count, y, 0);
      a.readFloats(first, count, x, 0);
      assertArrayEquals(floatBits(Arrays.copyOfRange(noise, first, first + count)), floatBits(x), "noise from " + first);
      assertArrayEquals(floatBits(Arrays.copyOfRange(steps, first, first + count)), floatBits(y), "steps from " + first);
      reads++;
    }
    assertTrue(reads > 8);
  }

  private static int[] floatBits(float[] f) {
    int[] bits = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      bits[i] = Float.floatToRawIntBits(f[i]);
    }
    return bits;
  }

  @Test
  void aBlockLongerThanAnyEncodingIsRefused() throws LazyQFormatException {
    int header = 4 + 4 * 2;
    int length = 2 << 20; // one value in 2 MiB
    ByteBuffer region = ByteBuffer.allocate(header + length).order(ByteOrder.LITTLE_ENDIAN);
    region.putInt(0, 1).putInt(4, header).putInt(8, header + length);
    region.put(header, (byte) BlockFormat.VERBATIM);
    BlockDecoder d = BlockDecoder.open(region, ValueKind.FLOAT32, 1, "hostile.lzq", 1000);
    LazyQFormatException e = assertThrows(LazyQFormatException.class, () -> d.readFloats(0, 1, new float[1], 0));
    assertEquals(1000 + header, e.offset());
    assertTrue(e.getMessage().contains("hostile.lzq") && e.getMessage().contains("cannot take " + length + " bytes"), e.getMessage());
  }
}
