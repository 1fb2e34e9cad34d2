package io.lazyq.quant;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.I2B;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.L2B;
import static jdk.incubator.vector.VectorOperators.L2I;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.OR;
import static jdk.incubator.vector.VectorOperators.S2B;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels with the Vector API, {@code L} = 8 or 16 float lanes (AVX2, AVX-512). Every lane does
 * the scalar kernel's arithmetic in its order (a multiply then an add, never a fused one), so the
 * bits are the same; codes are widened to float by exact conversions instead of table look-ups.
 *
 * <p>Only APIs that JDK 17's incubator module and later ones share are used: arrays and lanewise
 * operations, no {@code fromByteArray} (gone since JDK 19, as the buffer loads that
 * {@link BufferVectorKernels} makes) and no {@code MemorySegment}. Only operations that C2
 * compiles to SIMD on JDK 17 are used: those it leaves to the Java fallback run a hundred times
 * slower than scalar code (the float-to-int conversion, which only the q8_0 encoder of
 * {@link ConvertingVectorKernels}, for later JDKs, calls). Masked operations and
 * {@code VectorMask} tests ran several times slower than the same logic on sign bits (the q8_0
 * encoder's kernel: 5 GB/s with masked rounding, 13 with arithmetic shifts of sign bits; q4_0's
 * search for the signed maximum with a vector compare: a fifth of a scalar loop's speed), so
 * lane masks here are sign bits spread by arithmetic shifts. Each kernel must also stay within
 * C2's inlining budget: every Vector API call inlines a large template, and once a method's parse
 * passes {@code NodeCountInliningCutoff} the next call is left out of line, its vectors boxed on
 * the heap (seen in a trial encoder with its vectors written out by hand; check with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+PrintInlining}). Until C2 has compiled a kernel, the
 * interpreter runs the Java fallback: the first 0.5-1.5 s of a type's decoding are slow.
 */
class VectorKernels extends ScalarKernels {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  static final int L = F.length();
  static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  /** L bytes: one float vector's worth of codes (64 bits at least, the smallest shape). */
  static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(
      VectorShape.forBitSize(Math.max(64, L * 8)));
  /** 2L bytes: L bfloat16s, or the interleaved nibbles of L bytes. */
  static final VectorSpecies<Byte> B2 = B.withShape(VectorShape.forBitSize(L * 16));
  /** L shorts. */
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.withShape(B2.vectorShape());

  /**
   * Eight doubles, longs, floats, ints and bytes: the lanes of the kernels that compute in double
   * (the error-bounded decoder, the affine encoders), one group of eight codes per vector. They
   * run on vectors only where the preferred double vectors have 8 lanes (AVX-512), and on the
   * scalar loops elsewhere: with 4, a group's codes would not fill the smallest byte vector.
   */
  private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;
  private static final VectorSpecies<Long> L8 = LongVector.SPECIES_512;
  private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
  private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;
  private static final VectorSpecies<Byte> B8 = ByteVector.SPECIES_64;
  private static final boolean DOUBLES8 = DoubleVector.SPECIES_PREFERRED.length() == 8;
  /** The bits of 2^52: or'ed onto an integer below 2^52, they make the double 2^52 plus that integer. */
  private static final long TWO_52 = 0x4330_0000_0000_0000L;
  /**
   * Per width w, the shift of lane k's code in an error-bounded group: bit {@code k * w} of the
   * group's first word for k < 4, less the {@code w / 2} bytes that the second word starts further
   * on for the others ({@link ScalarKernels#decodeBounded} reads the same two words).
   */
  private static final long[][] BOUNDED_SHIFTS = new long[ErrorBoundedCodec.MAX_WIDTH + 1][8];
  /** -1 in the lanes whose code is in the group's first word, 0 in the others. */
  private static final long[] FIRST_WORD = {-1, -1, -1, -1, 0, 0, 0, 0};

  static {
    for (int w = 1; w <= ErrorBoundedCodec.MAX_WIDTH; w++) {
      for (int k = 0; k < 8; k++) {
        BOUNDED_SHIFTS[w][k] = k * w - (k < 4 ? 0 : 8 * (w >>> 1));
      }
    }
  }

  VectorKernels() {
    if (L != 8 && L != 16) {
      throw new UnsupportedOperationException("preferred float vectors have " + L + " lanes, not 8 or 16");
    }
  }

  @Override
  String describe() {
    return "vector (" + F.vectorBitSize() + "-bit, " + L + " float lanes)";
  }

  static FloatVector floats(ByteVector codes) {
    return (FloatVector) codes.convertShape(B2F, F, 0);
  }

  private static FloatVector floats(IntVector codes) {
    return (FloatVector) codes.convert(I2F, 0);
  }

  private static IntVector ints(ByteVector codes) {
    return (IntVector) codes.castShape(I, 0);
  }

  /** Each lane's low byte, as Java's {@code (byte)} cast. */
  static ByteVector bytes(IntVector lanes) {
    return (ByteVector) lanes.convertShape(I2B, B, 0);
  }

  /**
   * {@code v >>> s} in each byte, for callers that then keep only bits that stay within their byte
   * (a mask below {@code 1 << (8 - s)}): shifted as 16-bit lanes, which x86 shifts in one
   * instruction, where a byte shift is widened, shifted and narrowed again.
   */
  private static ByteVector shiftRight(ByteVector v, int s) {
    return v.reinterpretAsShorts().lanewise(LSHR, s).reinterpretAsBytes();
  }

  /** {@code v << s} in each byte whose bits above {@code 7 - s} are clear, as {@link #shiftRight}. */
  private static ByteVector shiftLeft(ByteVector v, int s) {
    return v.reinterpretAsShorts().lanewise(LSHL, s).reinterpretAsBytes();
  }

  @Override
  void decodeQ8_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 34, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      for (int j = 0; j < 32; j += L) {
        floats(ByteVector.fromArray(B, src, srcOff + 2 + j)).mul(d).intoArray(dst, dstOff + j);
      }
    }
  }

  @Override
  void decodeQ4_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 18, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      for (int j = 0; j < 16; j += L) {
        ByteVector q = ByteVector.fromArray(B, src, srcOff + 2 + j);
        floats(q.and((byte) 0x0F).sub((byte) 8)).mul(d).intoArray(dst, dstOff + j);
        floats(q.lanewise(LSHR, 4).sub((byte) 8)).mul(d).intoArray(dst, dstOff + j + 16);
      }
    }
  }

  @Override
  void decodeQ4_1(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 20, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float m = half[LittleEndian.u16(src, srcOff + 2)];
      for (int j = 0; j < 16; j += L) {
        ByteVector q = ByteVector.fromArray(B, src, srcOff + 4 + j);
        floats(q.and((byte) 0x0F)).mul(d).add(m).intoArray(dst, dstOff + j);
        floats(q.lanewise(LSHR, 4)).mul(d).add(m).intoArray(dst, dstOff + j + 16);
      }
    }
  }

  @Override
  void decodeQ5_0(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    IntVector lane = IntVector.zero(I).addIndex(1);
    for (int b = 0; b < blocks; b++, srcOff += 22, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      IntVector qh = IntVector.broadcast(I, LittleEndian.i32(src, srcOff + 2));
      for (int j = 0; j < 16; j += L) {
        IntVector q = ints(ByteVector.fromArray(B, src, srcOff + 6 + j));
        IntVector shift = lane.add(j);
        IntVector x0 = q.and(0x0F).or(qh.lanewise(LSHR, shift).lanewise(LSHL, 4).and(0x10)).sub(16);
        IntVector x1 = q.lanewise(ASHR, 4).and(0x0F).or(qh.lanewise(LSHR, shift.add(12)).and(0x10)).sub(16);
        floats(x0).mul(d).intoArray(dst, dstOff + j);
        floats(x1).mul(d).intoArray(dst, dstOff + j + 16);
      }
    }
  }

  @Override
  void decodeQ5_1(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    float[] half = Fp16.table();
    IntVector lane = IntVector.zero(I).addIndex(1);
    for (int b = 0; b < blocks; b++, srcOff += 24, dstOff += 32) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float m = half[LittleEndian.u16(src, srcOff + 2)];
      IntVector qh = IntVector.broadcast(I, LittleEndian.i32(src, srcOff + 4));
      for (int j = 0; j < 16; j += L) {
        IntVector q = ints(ByteVector.fromArray(B, src, srcOff + 8 + j));
        IntVector shift = lane.add(j);
        IntVector x0 = q.and(0x0F).or(qh.lanewise(LSHR, shift).lanewise(LSHL, 4).and(0x10));
        IntVector x1 = q.lanewise(ASHR, 4).and(0x0F).or(qh.lanewise(LSHR, shift.add(12)).and(0x10));
        floats(x0).mul(d).add(m).intoArray(dst, dstOff + j);
        floats(x1).mul(d).add(m).intoArray(dst, dstOff + j + 16);
      }
    }
  }

  @Override
  void decodeQ4_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 144) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float min = half[LittleEndian.u16(src, srcOff + 2)];
      int k = srcOff + 4;
      int q = srcOff + 16;
      for (int is = 0; is < 8; is += 2, q += 32, y += 64) {
        float d1 = d * KScales.scale(src, k, is);
        float m1 = min * KScales.min(src, k, is);
        float d2 = d * KScales.scale(src, k, is + 1);
        float m2 = min * KScales.min(src, k, is + 1);
        for (int l = 0; l < 32; l += L) {
          ByteVector codes = ByteVector.fromArray(B, src, q + l);
          floats(codes.and((byte) 0x0F)).mul(d1).sub(m1).intoArray(dst, y + l);
          floats(shiftRight(codes, 4).and((byte) 0x0F)).mul(d2).sub(m2).intoArray(dst, y + 32 + l);
        }
      }
    }
  }

  @Override
  void decodeQ5_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 176) {
      float d = half[LittleEndian.u16(src, srcOff)];
      float min = half[LittleEndian.u16(src, srcOff + 2)];
      int k = srcOff + 4;
      int qh = srcOff + 16;
      int ql = srcOff + 48;
      int bit = 0;
      for (int is = 0; is < 8; is += 2, ql += 32, y += 64, bit += 2) {
        float d1 = d * KScales.scale(src, k, is);
        float m1 = min * KScales.min(src, k, is);
        float d2 = d * KScales.scale(src, k, is + 1);
        float m2 = min * KScales.min(src, k, is + 1);
        for (int l = 0; l < 32; l += L) {
          ByteVector low = ByteVector.fromArray(B, src, ql + l);
          ByteVector high = ByteVector.fromArray(B, src, qh + l);
          ByteVector v1 = low.and((byte) 0x0F).or(shiftLeft(shiftRight(high, bit).and((byte) 1), 4));
          ByteVector v2 = shiftRight(low, 4).and((byte) 0x0F).or(shiftLeft(shiftRight(high, bit + 1).and((byte) 1), 4));
          floats(v1).mul(d1).sub(m1).intoArray(dst, y + l);
          floats(v2).mul(d2).sub(m2).intoArray(dst, y + 32 + l);
        }
      }
    }
  }

  /** Group g of 16 values: codes at bits 2 * (g / 2 % 4) of bytes 32 * (g / 8) + 16 * (g % 2), scale byte g. */
  @Override
  void decodeQ2_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 84) {
      float d = half[LittleEndian.u16(src, srcOff + 80)];
      float min = half[LittleEndian.u16(src, srcOff + 82)];
      for (int g = 0; g < 16; g++, y += 16) {
        int q = srcOff + 16 + 32 * (g >> 3) + 16 * (g & 1);
        int shift = 2 * ((g >> 1) & 3);
        int sc = src[srcOff + g] & 0xFF;
        float dl = d * (sc & 0xF);
        float ml = min * (sc >>> 4);
        for (int l = 0; l < 16; l += L) {
          ByteVector codes = shiftRight(ByteVector.fromArray(B, src, q + l), shift).and((byte) 3);
          floats(codes).mul(dl).sub(ml).intoArray(dst, y + l);
        }
      }
    }
  }

  /** Groups as Q2_K's; the high bits of group g are bit g / 2 of bytes 16 * (g % 2). */
  @Override
  void decodeQ3_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    int[] scale = new int[16];
    for (int b = 0; b < blocks; b++, srcOff += 110) {
      float dAll = half[LittleEndian.u16(src, srcOff + 108)];
      Q3_KCodec.unpackScales(src, srcOff + 96, scale);
      for (int g = 0; g < 16; g++, y += 16) {
        int k = 16 * (g & 1);
        int q = srcOff + 32 + 32 * (g >> 3) + k;
        int shift = 2 * ((g >> 1) & 3);
        int bit = g >> 1;
        float dl = dAll * scale[g];
        for (int l = 0; l < 16; l += L) {
          ByteVector codes = shiftRight(ByteVector.fromArray(B, src, q + l), shift).and((byte) 3);
          ByteVector high = shiftRight(ByteVector.fromArray(B, src, srcOff + k + l), bit).and((byte) 1);
          floats(codes.or(shiftLeft(high, 2)).sub((byte) 4)).mul(dl).intoArray(dst, y + l);
        }
      }
    }
  }

  @Override
  void decodeQ6_K(byte[] src, int srcOff, int blocks, float[] dst, int y) {
    float[] half = Fp16.table();
    for (int b = 0; b < blocks; b++, srcOff += 210) {
      float d = half[LittleEndian.u16(src, srcOff + 208)];
      // Two halves of 128 values: 64 bytes of low nibbles, 32 of high bits and 8 scales each.
      for (int h = 0; h < 2; h++, y += 128) {
        int ql = srcOff + 64 * h;
        int qh = srcOff + 128 + 32 * h;
        int sc = srcOff + 192 + 8 * h;
        for (int l = 0; l < 32; l += L) {
          int is = l >> 4;
          ByteVector lo = ByteVector.fromArray(B, src, ql + l);
          ByteVector lo2 = ByteVector.fromArray(B, src, ql + l + 32);
          ByteVector hi = ByteVector.fromArray(B, src, qh + l);
          ByteVector q1 = lo.and((byte) 0x0F).or(hi.and((byte) 0x03).lanewise(LSHL, 4));
          ByteVector q2 = lo2.and((byte) 0x0F).or(hi.lanewise(LSHL, 2).and((byte) 0x30));
          ByteVector q3 = lo.lanewise(LSHR, 4).or(hi.and((byte) 0x30));
          ByteVector q4 = lo2.lanewise(LSHR, 4).or(hi.lanewise(LSHR, 2).and((byte) 0x30));
          // d times the scale first, as ggml: the order fixes the rounding.
          floats(q1.sub((byte) 32)).mul(d * src[sc + is]).intoArray(dst, y + l);
          floats(q2.sub((byte) 32)).mul(d * src[sc + is + 2]).intoArray(dst, y + l + 32);
          floats(q3.sub((byte) 32)).mul(d * src[sc + is + 4]).intoArray(dst, y + l + 64);
          floats(q4.sub((byte) 32)).mul(d * src[sc + is + 6]).intoArray(dst, y + l + 96);
        }
      }
    }
  }

  @Override
  void decodeF16(byte[] src, int srcOff, int n, float[] dst, int dstOff) {
    int i = 0;
    for (; i <= n - L; i += L) {
      widen(halves(src, srcOff + 2 * i)).intoArray(dst, dstOff + i);
    }
    super.decodeF16(src, srcOff + 2 * i, n - i, dst, dstOff + i);
  }

  /**
   * Halves, sign-extended into int lanes, as floats. Without masks or table (C2 on JDK 17 leaves
   * masked operations to the Java fallback): a half's exponent and mantissa, moved to a float's,
   * are that float times 2^-112, so one multiply by 2^112 rebases normals and normalises
   * subnormals, exactly. Exponent 31 is made 255 first (an all-ones lane mask from an arithmetic
   * shift of the carry out of the exponent), so infinity stays infinite and a NaN keeps its
   * payload and comes out quiet, as x86's multiply and its F16C conversion make it (the scalar
   * table sets the quiet bit in integers).
   */
  static FloatVector widen(IntVector h) {
    IntVector m = h.and(0x7FFF);
    IntVector infNaN = m.add(0x0400).lanewise(LSHL, 16).lanewise(ASHR, 8).and(0x7F80_0000);
    FloatVector magnitude = m.lanewise(LSHL, 13).or(infNaN).reinterpretAsFloats().mul(0x1p112f);
    // h is sign-extended: its sign bit is already the float's.
    return magnitude.reinterpretAsInts().or(h.and(0x8000_0000)).reinterpretAsFloats();
  }

  /**
   * Four vectors per iteration, indexed by the source and destination offsets themselves. Inlined
   * into a larger caller (the codec's decode inside a reader, or a benchmark), C2 on JDK 17 kept a
   * range check in the loop and moved a value the loop needs (the source array, or its offset)
   * through an XMM register and back every iteration ({@code UseFPUForSpilling}, on by default on
   * x86): two dependent {@code vmovd} per 64-byte vector held the kernel at 29-34 GB/s (52-58 with
   * {@code -XX:-UseFPUForSpilling}). Unrolled, that is paid once per four vectors: 57-59 GB/s.
   * f16 stays one vector per iteration: unrolled twice it gained less (33 to 42-44 GB/s) and its
   * longer method missed its warming's time limit in half the runs of that test on the loaded
   * machine; four times passes C2's inlining budget ({@link #widen} is large) and its vectors
   * were boxed (4-13 GB/s). docs/BENCHMARKS.md has the compiled loops.
   */
  @Override
  void decodeBf16(byte[] src, int srcOff, int n, float[] dst, int dstOff) {
    int s = srcOff;
    int d = dstOff;
    for (int last = dstOff + n - 4 * L; d <= last; s += 8 * L, d += 4 * L) {
      bf16(src, s, dst, d);
      bf16(src, s + 2 * L, dst, d + L);
      bf16(src, s + 4 * L, dst, d + 2 * L);
      bf16(src, s + 6 * L, dst, d + 3 * L);
    }
    for (int last = dstOff + n - L; d <= last; s += 2 * L, d += L) {
      bf16(src, s, dst, d);
    }
    super.decodeBf16(src, s, n - (d - dstOff), dst, d);
  }

  /** L bfloat16s at {@code src[s]} as floats into {@code dst[d]}. */
  private static void bf16(byte[] src, int s, float[] dst, int d) {
    halves(src, s).lanewise(LSHL, 16).reinterpretAsFloats().intoArray(dst, d);
  }

  /** L little-endian 16-bit fields, sign-extended into int lanes. */
  static IntVector halves(byte[] src, int off) {
    return (IntVector) ByteVector.fromArray(B2, src, off).reinterpretAsShorts().castShape(I, 0);
  }

  @Override
  void decodeAffine8(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    for (int b = 0; b < blocks; b++, srcOff += 72, dstOff += 64) {
      float min = LittleEndian.f32(src, srcOff);
      float step = LittleEndian.f32(src, srcOff + 4);
      for (int j = 0; j < 64; j += L) {
        IntVector q = ints(ByteVector.fromArray(B, src, srcOff + 8 + j)).and(0xFF);
        floats(q).mul(step).add(min).intoArray(dst, dstOff + j);
      }
    }
  }

  /**
   * Widens each code byte to a short whose low byte is its low nibble and whose high byte is its
   * high nibble: read as bytes, those are the codes in output order.
   */
  @Override
  void decodeAffine4(byte[] src, int srcOff, int blocks, float[] dst, int dstOff) {
    for (int b = 0; b < blocks; b++, srcOff += 40, dstOff += 64) {
      float min = LittleEndian.f32(src, srcOff);
      float step = LittleEndian.f32(src, srcOff + 4);
      for (int k = 0; k < 32; k += L) {
        ShortVector q = (ShortVector) ByteVector.fromArray(B, src, srcOff + 8 + k).castShape(S, 0);
        ByteVector codes = q.and((short) 0x0F).or(q.lanewise(LSHL, 4).and((short) 0x0F00)).reinterpretAsBytes();
        int at = dstOff + 2 * k;
        ((FloatVector) codes.convertShape(B2F, F, 0)).mul(step).add(min).intoArray(dst, at);
        ((FloatVector) codes.convertShape(B2F, F, 1)).mul(step).add(min).intoArray(dst, at + L);
      }
    }
  }

  /** The bits of a magnitude from which a float is infinite or NaN. */
  static final int NON_FINITE = 0x7F80_0000;

  /**
   * The largest magnitude's bits over 16 vectors at a time (one int maximum per vector, no
   * branch): NaN and infinity are the magnitudes from 0x7F800000 up. A group that has one is
   * searched again by the scalar loop, for the index.
   */
  @Override
  int firstNonFinite(float[] x, int off, int n) {
    int group = 16 * L;
    int i = 0;
    for (; i <= n - group; i += group) {
      IntVector amax = IntVector.zero(I);
      for (int j = i; j < i + group; j += L) {
        amax = amax.max(FloatVector.fromArray(F, x, off + j).reinterpretAsInts().and(0x7FFF_FFFF));
      }
      if (amax.reduceLanes(MAX) >= NON_FINITE) {
        return i + super.firstNonFinite(x, off + i, group);
      }
    }
    int rest = super.firstNonFinite(x, off + i, n - i);
    return rest < 0 ? -1 : i + rest;
  }

  /**
   * Blocks go in groups of L, as {@link #encodeQ4_0}'s: first each block's largest magnitude
   * ({@link #q8_0Scales}), which is also the check for NaN and infinity (bits from 0x7F800000 up),
   * then the group's scales, inverses and float16 bits as L-lane vectors, then the codes
   * ({@link #quantize8}). On JDK 17 (CPU time, 2^18 values per call, alternating in one JVM)
   * 17.2-18.0 GB/s against 13.4-13.8 for the same work one block at a time (a scalar division,
   * inversion and {@link Fp16#fromFloat} per block between its maximum and its codes); the scales
   * alone ran at 34-46 GB/s. An earlier grouping that measured no faster had its code loop in the
   * group loop: with the scales inlined that passed C2's inlining budget (3.8 GB/s on JDK 25).
   */
  @Override
  int encodeQ8_0(float[] x, int off, int blocks, byte[] y, int yOff) {
    Q8_0Group group = Q8_0_GROUP.get();
    float[] ids = group.ids;
    int[] halfBits = group.halfBits;
    for (int b = 0; b < blocks; b += L, off += 32 * L, yOff += 34 * L) {
      // A last group of fewer than L blocks goes through the same code (which the warming, on a
      // few blocks, then compiles), its other lanes unused.
      int m = Math.min(L, blocks - b);
      if (q8_0Scales(x, off, m, ids, halfBits) >= NON_FINITE) {
        for (int k = 0; ; k++) {
          if (absMaxBits(x, off + 32 * k) >= NON_FINITE) {
            return b + k;
          }
        }
      }
      if (quantize8(x, off, m, ids, halfBits, y, yOff)) {
        for (int k = 0; k < m; k++) {
          if (Float.isInfinite(ids[k])) {
            // A scale below 2^-128: the products overflow, and only the scalar cast saturates as C does.
            super.encodeQ8_0(x, off + 32 * k, 1, y, yOff + 34 * k);
          }
        }
      }
    }
    return -1;
  }

  /**
   * The q8_0 encoder's arrays for a group's inverse scales and float16 bits, one pair per thread:
   * allocated per call, the pair cost about 0.5 us a call in a stand-alone loop (2 blocks per call,
   * as the warming calls it: 0.56-0.70 us against 0.044-0.049 reused and 0.12 for the scalar
   * kernel, JDK 17 and 25), enough to lose the warming's comparison with the scalar kernel.
   */
  private static final ThreadLocal<Q8_0Group> Q8_0_GROUP = ThreadLocal.withInitial(Q8_0Group::new);

  private static final class Q8_0Group {
    final float[] ids = new float[L];
    final int[] halfBits = new int[L];
  }

  /**
   * The scales of {@code m <= L} blocks: each one's inverse and float16 bits into {@code ids} and
   * {@code halfBits}; returns the largest magnitude's bits (from 0x7F800000 up: a NaN or an
   * infinity, and the arrays are not meaningful).
   */
  private static int q8_0Scales(float[] x, int off, int m, float[] ids, int[] halfBits) {
    // halfBits holds the magnitudes' bits until the float16 bits replace them.
    for (int k = 0; k < m; k++) {
      halfBits[k] = absMaxBits(x, off + 32 * k);
    }
    Arrays.fill(halfBits, m, L, 0);
    IntVector bits = IntVector.fromArray(I, halfBits, 0);
    FloatVector d = bits.reinterpretAsFloats().div(127f);
    inverse(d).intoArray(ids, 0);
    fp16Bits(d).intoArray(halfBits, 0);
    return bits.reduceLanes(MAX);
  }

  /**
   * The scale and codes of each of {@code m} blocks whose inverse scale is finite; true if some
   * block's is infinite (that block is left unwritten). Rounds with {@link #roundf};
   * {@link ConvertingVectorKernels} overrides it with its own copy that rounds by conversion. A
   * method of each class rather than one with a flag: each then has its own compiled code and
   * profile, so a JVM that makes both classes (the tests) does not compile the conversion, which
   * JDK 17 runs in the Java fallback, into the other's loop.
   */
  boolean quantize8(float[] x, int off, int m, float[] ids, int[] halfBits, byte[] y, int yOff) {
    boolean skipped = false;
    for (int k = 0; k < m; k++) {
      float id = ids[k];
      if (Float.isInfinite(id)) {
        skipped = true;
        continue;
      }
      int xo = off + 32 * k;
      int yo = yOff + 34 * k;
      LittleEndian.putShort(y, yo, (short) halfBits[k]);
      for (int j = 0; j < 32; j += L) {
        bytes(roundf(FloatVector.fromArray(F, x, xo + j).mul(id))).intoArray(y, yo + 2 + j);
      }
    }
    return skipped;
  }

  /*
   * The group loops of q8_0, q4_0 and q4_1 call these for their vector work, each taking and giving
   * arrays and numbers only: a group loop that made the vectors itself passed C2's inlining
   * budget, its later calls were left out of line with their vectors boxed (q8_0 grouped so ran
   * at 2 GB/s instead of 9, and at 3.8 instead of 20 on JDK 25 with the scales' calls inlined and
   * its code loop in the group loop), and a call that is not inlined costs no more than a call here.
   */

  /** {@link GgmlRef#inverse} in each lane: {@code 1 / d}, and 0 where {@code d} is zero of either sign. */
  private static FloatVector inverse(FloatVector d) {
    IntVector zero = d.reinterpretAsInts().and(0x7FFF_FFFF).sub(1).lanewise(ASHR, 31);
    return FloatVector.broadcast(F, 1f).div(d).reinterpretAsInts().and(zero.not()).reinterpretAsFloats();
  }

  /**
   * {@link Fp16#fromFloat} in each lane, for values that are not NaN: its float adds, whose
   * rounding is the half's, and its clamp of the exponent as an int maximum.
   */
  private static IntVector fp16Bits(FloatVector f) {
    IntVector w = f.reinterpretAsInts();
    FloatVector base = f.abs().mul(0x1.0p+112f).mul(0x1.0p-110f);
    IntVector bias = w.and(0x7F80_0000).max(0x3880_0000).add(0x0780_0000);
    IntVector bits = bias.reinterpretAsFloats().add(base).reinterpretAsInts();
    IntVector nonSign = bits.lanewise(LSHR, 13).and(0x7C00).add(bits.and(0x0FFF));
    return nonSign.or(w.lanewise(LSHR, 16).and(0x8000));
  }

  /**
   * {@link GgmlRef#absMax} of a block of 32 finite values, as the int maximum of their magnitudes'
   * bits: that orders non-negative floats as their values, in one integer instruction where a
   * float maximum takes Java's NaN and -0.0 rules (+0.0 for an all-zero block, as ggml's).
   */
  private static int absMaxBits(float[] x, int off) {
    IntVector amax = IntVector.zero(I);
    for (int j = 0; j < 32; j += L) {
      amax = amax.max(FloatVector.fromArray(F, x, off + j).reinterpretAsInts().and(0x7FFF_FFFF));
    }
    return amax.reduceLanes(MAX);
  }

  /**
   * The lanes' floats, {@code 0 <= a < 2^22}, plus 2^23: rounded to an integer (to even), which is
   * then the float's low mantissa bits. The float-to-int conversion has no C2 intrinsic on JDK 17
   * (about 300 ns per 16 lanes in the Java fallback, against 2 on JDK 25).
   */
  private static FloatVector plus2p23(FloatVector a) {
    return a.add(0x1p23f);
  }

  /**
   * {@code (int) a} for {@code 0 <= a < 2^22}: the integer nearest, less one where that is above
   * {@code a}.
   */
  private static IntVector floorInts(FloatVector a) {
    FloatVector big = plus2p23(a);
    // a - r is exact, and negative where r rounded up: its sign bit, spread, is -1 there.
    return big.reinterpretAsInts().sub(0x4B00_0000).add(a.sub(big.sub(0x1p23f)).reinterpretAsInts().lanewise(ASHR, 31));
  }

  /**
   * {@link GgmlRef#roundf} of values below 2^22 in magnitude: the magnitude rounded to nearest
   * even, plus one at a tie rounded down (where magnitude less integer, exact in float, is 0.5),
   * then the sign applied in two's complement ({@code -0.0} gives 0, as the scalar code).
   */
  private static IntVector roundf(FloatVector v) {
    IntVector bits = v.reinterpretAsInts();
    FloatVector a = bits.and(0x7FFF_FFFF).reinterpretAsFloats();
    FloatVector big = plus2p23(a);
    // a - r - 0.5 is negative except at a tie rounded down, where it is +0.0.
    IntVector notTie = a.sub(big.sub(0x1p23f)).sub(0.5f).reinterpretAsInts().lanewise(ASHR, 31);
    IntVector r = big.reinterpretAsInts().sub(0x4B00_0000 - 1).add(notTie);
    IntVector sign = bits.lanewise(ASHR, 31);
    return r.lanewise(XOR, sign).sub(sign);
  }

  /**
   * Whether a 4-bit block's scale leaves its codes to {@link #nibble}: a normal scale and its inverse
   * are exact to an ulp, so every {@code x * id + 8.5} (or {@code (x - min) * id + 0.5}) lies in
   * [0, 17). A zero, subnormal or infinite one goes to the scalar loop, whose casts saturate.
   */
  private static boolean normal(float d) {
    float a = Math.abs(d);
    return a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE;
  }

  /** {@code Math.min(15, GgmlRef.toInt8(f)) & 0xFF} for {@code 0 <= f < 2^22}. */
  private static IntVector nibble(FloatVector f) {
    return floorInts(f).min(15);
  }

  /**
   * Blocks go in groups of L: each block's signed maximum is found first, then the group's
   * scales, their inverses and their float16 bits are L-lane vector operations, where they were
   * a scalar division, a scalar inversion and {@link Fp16#fromFloat} per block. The same loop one
   * block at a time measured 0.20 ms per 2^18 values against 0.14 (CPU time, JDK 17); for q4_1,
   * whose blocks have less scalar work, grouping measured 10% slower.
   */
  @Override
  int encodeQ4_0(float[] x, int off, int blocks, byte[] y, int yOff) {
    float[] max = new float[L];
    float[] ds = new float[L];
    float[] ids = new float[L];
    int[] halfBits = new int[L];
    for (int b = 0; b < blocks; b += L) {
      // A last group of fewer than L blocks leaves the other lanes as they were, unused.
      int m = Math.min(L, blocks - b);
      for (int k = 0; k < m; k++) {
        int amax = absMaxBits(x, off + 32 * (b + k));
        if (amax >= NON_FINITE) {
          return b + k;
        }
        max[k] = signedAbsMax(x, off + 32 * (b + k), amax);
      }
      q4_0Scales(max, ds, ids, halfBits);
      for (int k = 0; k < m; k++) {
        int xo = off + 32 * (b + k);
        int yo = yOff + 18 * (b + k);
        if (!normalOrZero(ds[k])) {
          super.encodeQ4_0(x, xo, 1, y, yo);
          continue;
        }
        LittleEndian.putShort(y, yo, (short) halfBits[k]);
        quantize4(x, xo, ids[k], y, yo + 2);
      }
    }
    return -1;
  }

  /*
   * The group loop calls these for its vector work, each taking and giving arrays and numbers
   * only: a group loop that made the vectors itself passed C2's inlining budget, its later calls
   * were left out of line with their vectors boxed (q8_0 grouped so ran at 2 GB/s instead of 9),
   * and a call that is not inlined costs no more than a call here.
   */

  private static void q4_0Scales(float[] max, float[] ds, float[] ids, int[] halfBits) {
    FloatVector d = FloatVector.fromArray(F, max, 0).div(-8f);
    d.intoArray(ds, 0);
    inverse(d).intoArray(ids, 0);
    fp16Bits(d).intoArray(halfBits, 0);
  }

  /** The 16 bytes of a q4_0 block's nibbles: {@code x * id + 8.5}, floored and capped at 15. */
  private static void quantize4(float[] x, int xo, float id, byte[] y, int yo) {
    for (int j = 0; j < 16; j += L) {
      IntVector lo = nibble(FloatVector.fromArray(F, x, xo + j).mul(id).add(8.5f));
      IntVector hi = nibble(FloatVector.fromArray(F, x, xo + 16 + j).mul(id).add(8.5f));
      bytes(lo.or(hi.lanewise(LSHL, 4))).intoArray(y, yo + j);
    }
  }

  /**
   * {@link GgmlRef#signedAbsMax} of a block of 32 finite values whose largest magnitude's bits are
   * {@code amax}: the first value of that magnitude. Which signs that magnitude has is an or of one flag per lane (1 positive, 2
   * negative) over the lanes that hold it, whose bits, less the maximum's, have a clear sign bit;
   * only a block that has both searches for the first, with a scalar loop (a vector compare and
   * {@code firstTrue} ran the kernel at a fifth of the speed on JDK 17).
   */
  private static float signedAbsMax(float[] x, int off, int amax) {
    if (amax == 0) {
      return 0f;
    }
    IntVector signs = IntVector.zero(I);
    for (int j = 0; j < 32; j += L) {
      IntVector bits = FloatVector.fromArray(F, x, off + j).reinterpretAsInts();
      IntVector notMax = bits.and(0x7FFF_FFFF).sub(amax).lanewise(ASHR, 31);
      signs = signs.or(bits.lanewise(LSHR, 31).add(1).and(notMax.not()));
    }
    switch (signs.reduceLanes(OR)) {
      case 1:
        return Float.intBitsToFloat(amax);
      case 2:
        return -Float.intBitsToFloat(amax);
      default:
        return GgmlRef.signedAbsMax(x, off, 32);
    }
  }

  /** Whether {@code d} is zero or normal: a subnormal scale's inverse can overflow, as {@link #normal}. */
  private static boolean normalOrZero(float d) {
    return d == 0f || normal(d);
  }

  @Override
  void encodeQ4_1(float[] x, int off, int blocks, byte[] y, int yOff) {
    for (int b = 0; b < blocks; b++, off += 32, yOff += 20) {
      FloatVector lowest = FloatVector.fromArray(F, x, off);
      FloatVector highest = lowest;
      for (int j = L; j < 32; j += L) {
        FloatVector v = FloatVector.fromArray(F, x, off + j);
        lowest = lowest.min(v);
        highest = highest.max(v);
      }
      // The vector min orders -0.0 below 0.0; ggml's loop keeps the first zero it meets.
      float min = lowest.reduceLanes(MIN);
      if (min == 0f) {
        min = GgmlRef.min(x, off, 32);
      }
      float max = highest.reduceLanes(MAX);
      if (max == 0f) {
        max = GgmlRef.max(x, off, 32);
      }
      float d = (max - min) / 15f;
      float id = GgmlRef.inverse(d);
      if (!normal(d)) {
        super.encodeQ4_1(x, off, 1, y, yOff);
        continue;
      }
      LittleEndian.putShort(y, yOff, Fp16.fromFloat(d));
      LittleEndian.putShort(y, yOff + 2, Fp16.fromFloat(min));
      for (int j = 0; j < 16; j += L) {
        IntVector lo = nibble(FloatVector.fromArray(F, x, off + j).sub(min).mul(id).add(0.5f));
        IntVector hi = nibble(FloatVector.fromArray(F, x, off + 16 + j).sub(min).mul(id).add(0.5f));
        bytes(lo.or(hi.lanewise(LSHL, 4))).intoArray(y, yOff + 4 + j);
      }
    }
  }
  /**
   * Eight codes per vector: the group's two words broadcast, each lane shifted by its own count,
   * masked to its code and to the word that holds it. Each code, or'ed onto 2^52's bits, is the
   * double 2^52 + q, so a subtraction converts it exactly; {@code base + step * q} is then a
   * multiply and an add in double, which round as the scalar fused multiply-add does ({@code step
   * * q} is exact), and one conversion to float.
   */
  @Override
  void decodeBounded(byte[] b, int at, int m, float[] dst, int dstOff) {
    if (!DOUBLES8) {
      super.decodeBounded(b, at, m, dst, dstOff);
      return;
    }
    int w = b[at];
    double base = LittleEndian.f32(b, at + 1);
    double step = LittleEndian.f32(b, at + 5);
    int half = w >>> 1;
    LongVector shift = LongVector.fromArray(L8, BOUNDED_SHIFTS[w], 0);
    LongVector first = LongVector.fromArray(L8, FIRST_WORD, 0);
    LongVector fromFirst = first.and((1L << w) - 1);
    LongVector fromSecond = first.not().and((1L << w) - 1);
    for (int i = 0, p = at + 9; i < m; i += 8, p += w) {
      LongVector lo = LongVector.broadcast(L8, LittleEndian.i64(b, p)).lanewise(LSHR, shift).and(fromFirst);
      LongVector hi = LongVector.broadcast(L8, LittleEndian.i64(b, p + half)).lanewise(LSHR, shift).and(fromSecond);
      DoubleVector q = lo.or(hi).or(TWO_52).reinterpretAsDoubles().sub(0x1p52);
      ((FloatVector) q.mul(step).add(base).convertShape(D2F, F8, 0)).intoArray(dst, dstOff + i);
    }
  }

  /**
   * Eight values at a time, as {@link #decodeBounded} reads them: each group's codes, shifted in
   * their lanes to their place in the group's two words, or'ed together by two reductions; the
   * first word written whole, the second over it {@code w / 2} bytes on, keeping the bits below
   * its first code (the first word's last code's high half, for odd {@code w}). The values after
   * the last whole group take the scalar loop, from the byte where the groups end.
   */
  @Override
  void encodeBounded(float[] x, int off, int m, float base, float step, int w, byte[] out, int at) {
    if (!DOUBLES8) {
      super.encodeBounded(x, off, m, base, step, w, out, at);
      return;
    }
    int groups = m & ~7;
    for (int i = 0, p = at; i < groups; i += 8, p += w) {
      boundedGroup(x, off + i, base, step, w, out, p);
    }
    if (groups < m) {
      super.encodeBounded(x, off + groups, m - groups, base, step, w, out, at + groups / 8 * w);
    }
  }

  /** One group of {@link #encodeBounded}, taking and giving arrays and numbers only (C2's inlining budget, below). */
  private static void boundedGroup(float[] x, int at, float base, float step, int w, byte[] out, int p) {
    LongVector codes = nearestBoundedCodes(FloatVector.fromArray(F8, x, at), base, step, (1 << w) - 1)
        .and((1L << w) - 1).lanewise(LSHL, LongVector.fromArray(L8, BOUNDED_SHIFTS[w], 0));
    LongVector first = LongVector.fromArray(L8, FIRST_WORD, 0);
    long lo = codes.and(first).reduceLanes(OR);
    long hi = codes.and(first.not()).reduceLanes(OR);
    int half = w >>> 1;
    LittleEndian.putLong(out, p, lo);
    LittleEndian.putLong(out, p + half, LittleEndian.i64(out, p + half) & ((1L << 4 * (w & 1)) - 1) | hi);
  }

  /**
   * {@link ScalarKernels#nearestBoundedCode} in each lane, as the bits of 2^52 plus the code: the
   * code rounded in double (clamped first, as {@link #nearestAffineCodes}), then the lowest of it
   * and its neighbours whose decoded value, {@code (float) (base + step * q)} in double, is nearest.
   * A neighbour clamped to the range is the rounded code itself, whose error it has.
   */
  private static LongVector nearestBoundedCodes(FloatVector x, float base, float step, int maxCode) {
    DoubleVector v = (DoubleVector) x.convertShape(F2D, D8, 0);
    DoubleVector big = v.sub(base).div(step).min(maxCode).add(0x1p52);
    DoubleVector guess = big.sub(0x1p52);
    DoubleVector below = guess.sub(1).max(0);
    DoubleVector above = guess.add(1).min(maxCode);
    LongVector lowest = boundedError(below, v, base, step);
    // Errors are non-negative and not NaN: their bits order as their values.
    LongVector closer = boundedError(guess, v, base, step).sub(lowest);
    LongVector takeGuess = closer.lanewise(ASHR, 63);
    LongVector best = lowest.add(closer.and(takeGuess));
    LongVector takeAbove = boundedError(above, v, base, step).sub(best).lanewise(ASHR, 63);
    LongVector code = below.add(0x1p52).reinterpretAsLongs();
    code = code.add(big.reinterpretAsLongs().sub(code).and(takeGuess));
    return code.add(above.add(0x1p52).reinterpretAsLongs().sub(code).and(takeAbove));
  }

  /** The bits of {@code |(double) (float) (base + step * q) - v|}, the decoded value as the format defines it. */
  private static LongVector boundedError(DoubleVector q, DoubleVector v, float base, float step) {
    DoubleVector decoded = q.mul(step).add(base);
    return ((DoubleVector) decoded.convertShape(D2F, F8, 0).convertShape(F2D, D8, 0)).sub(v).abs().reinterpretAsLongs();
  }

  /*
   * The affine encoders' block loops take block b's codes, then block b + 1's header, each from a
   * method that takes and gives arrays and numbers only, the codes' call parsed first. C2 inlines
   * both, until the method's parse passes its inlining budget: had it inlined the header first,
   * the budget ran out within the codes' vector work, which was then left out of line with its
   * vectors boxed (0.07-0.8 GB/s, the scalar loop's 0.3 at best, against 1.8-2.2 GB/s).
   */

  @Override
  void encodeAffine8(float[] x, int off, int blocks, byte[] y, int yOff) {
    if (!DOUBLES8) {
      super.encodeAffine8(x, off, blocks, y, yOff);
      return;
    }
    for (int b = 0; b <= blocks; b++) {
      if (b > 0) {
        affine8Codes(x, off + 64 * (b - 1), y, yOff + 72 * (b - 1));
      }
      if (b < blocks) {
        vectorAffineHeader(x, off + 64 * b, 255, y, yOff + 72 * b);
      }
    }
  }

  @Override
  void encodeAffine4(float[] x, int off, int blocks, byte[] y, int yOff) {
    if (!DOUBLES8) {
      super.encodeAffine4(x, off, blocks, y, yOff);
      return;
    }
    byte[] codes = new byte[64];
    for (int b = 0; b <= blocks; b++) {
      if (b > 0) {
        affine4Codes(x, off + 64 * (b - 1), y, yOff + 40 * (b - 1), codes);
      }
      if (b < blocks) {
        vectorAffineHeader(x, off + 64 * b, 15, y, yOff + 40 * b);
      }
    }
  }

  /** The codes of the affine8 block at {@code x[off]} whose header is at {@code y[yOff]}. */
  private static void affine8Codes(float[] x, int off, byte[] y, int yOff) {
    float min = LittleEndian.f32(y, yOff);
    float step = LittleEndian.f32(y, yOff + 4);
    for (int j = 0; j < 64; j += 8) {
      ((ByteVector) nearestAffineCodes(FloatVector.fromArray(F8, x, off + j), min, step, 255).convertShape(L2B, B8, 0))
          .intoArray(y, yOff + 8 + j);
    }
  }

  /**
   * The codes of the affine4 block at {@code x[off]} whose header is at {@code y[yOff]}: as
   * {@link #affine8Codes}, one byte per code into {@code codes}, then each pair of bytes, read as a
   * short, made the first byte's code in the low nibble and the second's in the high one and
   * narrowed to a byte (splitting the values into even and odd ones with two narrowing conversions
   * instead took C2's inlining budget).
   */
  private static void affine4Codes(float[] x, int off, byte[] y, int yOff, byte[] codes) {
    float min = LittleEndian.f32(y, yOff);
    float step = LittleEndian.f32(y, yOff + 4);
    for (int j = 0; j < 64; j += 8) {
      ((ByteVector) nearestAffineCodes(FloatVector.fromArray(F8, x, off + j), min, step, 15).convertShape(L2B, B8, 0))
          .intoArray(codes, j);
    }
    ShortVector pairs = ByteVector.fromArray(ByteVector.SPECIES_512, codes, 0).reinterpretAsShorts();
    ((ByteVector) pairs.or(pairs.lanewise(LSHR, 4)).convertShape(S2B, ByteVector.SPECIES_256, 0)).intoArray(y, yOff + 8);
  }

  /**
   * {@link ScalarKernels#affineHeader}, the block's minimum and maximum as vector minima and maxima,
   * whose {@link VectorOperators#MIN} and {@link VectorOperators#MAX} are {@link Math#min} and
   * {@link Math#max}: the same two floats in any order.
   */
  private static void vectorAffineHeader(float[] x, int off, int maxCode, byte[] y, int yOff) {
    FloatVector lowest = FloatVector.fromArray(F, x, off);
    FloatVector highest = lowest;
    for (int j = L; j < 64; j += L) {
      FloatVector v = FloatVector.fromArray(F, x, off + j);
      lowest = lowest.min(v);
      highest = highest.max(v);
    }
    ScalarKernels.affineHeader(lowest.reduceLanes(MIN), highest.reduceLanes(MAX), maxCode, y, yOff);
  }

  /**
   * {@link ScalarKernels#nearestAffineCode} in each lane, as the bits of 2^52 plus the code (whose
   * low byte is the code): the code rounded in double ({@code v >= min}, so no clamp at 0; rounding
   * after the clamp at {@code maxCode} gives the same code, and keeps the value below 2^52 for the
   * rint of an add and a subtract of 2^52), then its neighbours, each taken where its error is
   * strictly smaller. A neighbour clamped to the range is the rounded code itself, never taken.
   */
  private static LongVector nearestAffineCodes(FloatVector x, float min, float step, int maxCode) {
    if (step == 0f) {
      return LongVector.broadcast(L8, TWO_52);
    }
    DoubleVector v = (DoubleVector) x.convertShape(F2D, D8, 0);
    DoubleVector big = v.sub(min).div(step).min(maxCode).add(0x1p52);
    // The code as a float (exact): its neighbours are float adds, where doubles would each need a conversion.
    FloatVector guess = (FloatVector) big.sub(0x1p52).convertShape(D2F, F8, 0);
    LongVector err = affineError(guess, v, min, step);
    // Errors are non-negative and not NaN, so their bits order as their values: a negative
    // difference, its sign spread, is -1 where the neighbour is strictly nearer.
    LongVector down = affineError(guess.sub(1f).max(0f), v, min, step).sub(err);
    LongVector lower = down.lanewise(ASHR, 63);
    LongVector best = err.add(down.and(lower));
    LongVector upper = affineError(guess.add(1f).min(maxCode), v, min, step).sub(best).lanewise(ASHR, 63);
    // +1 where the upper neighbour is taken, else -1 where the lower one is.
    return big.reinterpretAsLongs().add(lower.and(upper.not())).sub(upper);
  }

  /** The bits of {@code |(double) (min + step * q) - v|}, the decoded float's in float arithmetic. */
  private static LongVector affineError(FloatVector q, DoubleVector v, float min, float step) {
    FloatVector decoded = q.mul(step).add(min);
    return ((DoubleVector) decoded.convertShape(F2D, D8, 0)).sub(v).abs().reinterpretAsLongs();
  }
}
