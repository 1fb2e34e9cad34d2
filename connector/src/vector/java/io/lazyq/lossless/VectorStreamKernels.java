package io.lazyq.lossless;

import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.I2D;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StreamKernels} with the Vector API, for codes of 1 to 3 bytes: a lane per value, the
 * codes gathered from their planes as ints, the integers made doubles, scaled and rounded to
 * float32 as the scalar path does (the same IEEE operations, so the same bits). Under the delta
 * predictor each vector's differences are summed in-register in doubles, which is exact while the
 * integers stay below 2^52 (checked per call; beyond, the scalar path runs). Loaded by name
 * through {@link io.lazyq.quant.KernelChoice}.
 */
class VectorStreamKernels extends StreamKernels {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(32 * L));
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(32 * L));
  /** Loads of at least 8 bytes, the smallest shape, of which the first L are used. */
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64.withShape(VectorShape.forBitSize(Math.max(64, 8 * L)));
  private static final double EXACT = 0x1p52;
  /** Every lane from the last. */
  private static final VectorShuffle<Double> LAST = VectorShuffle.fromOp(D, i -> L - 1);

  VectorStreamKernels() {
    if ((L != 4 && L != 8) || I.length() != L || F.length() != L) {
      throw new UnsupportedOperationException("preferred double vectors have " + L + " lanes, not 4 or 8");
    }
  }

  @Override
  public String toString() {
    return "vector (" + D.vectorBitSize() + "-bit, " + L + " double lanes)";
  }

  /**
   * Codes {@code i ..} of planes {@code p} of {@code n} codes of {@code b} (1 to 3) bytes, one per
   * lane, from three loads whatever {@code b}: a plane beyond the codes' is read from the first
   * ({@code at}) and masked out ({@code mask}). Loads under {@code if (b > 1)} let C2 hoist their
   * range checks above the loop on the profile (profile predicates) where the warming had run
   * only over planes of room enough; the first stream of 1-byte codes in pooled planes of n bytes
   * then failed them: four uncommon traps, and the kernel back in the Vector API's fallback, tens
   * of CPU ns a row, until C2 had compiled it again.
   */
  private static IntVector codes(byte[] p, int i, int at1, int at2, int mask1, int mask2) {
    return ints(p, i, 0xFF).or(ints(p, at1 + i, mask1).lanewise(LSHL, 8)).or(ints(p, at2 + i, mask2).lanewise(LSHL, 16));
  }

  private static IntVector ints(byte[] p, int i, int mask) {
    return ((IntVector) ByteVector.fromArray(B, p, i).castShape(I, 0)).and(mask);
  }

  @Override
  void offsetFloats(byte[] p, int n, int b, int from, int count, long base, double scale, float[] dst, int off) {
    // Integers base + c must be ints for an int lane to hold them.
    if (b > 3 || base < Integer.MIN_VALUE || base > Integer.MAX_VALUE - (1 << 24)) {
      super.offsetFloats(p, n, b, from, count, base, scale, dst, off);
      return;
    }
    int k = 0;
    // A load takes B.length() bytes from the last plane: none beyond it.
    int vectors = Math.max(0, Math.min(count, n - from - B.length() + L)) / L * L;
    int at1 = b > 1 ? n : 0;
    int at2 = b > 2 ? 2 * n : 0;
    int mask1 = b > 1 ? 0xFF : 0;
    int mask2 = b > 2 ? 0xFF : 0;
    for (; k < vectors; k += L) {
      IntVector v = codes(p, from + k, at1, at2, mask1, mask2).add((int) base);
      ((FloatVector) ((DoubleVector) v.convertShape(I2D, D, 0)).mul(scale).convertShape(D2F, F, 0)).intoArray(dst, off + k);
    }
    if (k < count) {
      super.offsetFloats(p, n, b, from + k, count - k, base, scale, dst, off + k);
    }
  }

  @Override
  long deltaFloats(byte[] p, int n, int b, int from, int count, long acc, double scale, float[] dst, int off) {
    // Every integer of the range is within count * 2^23 of acc.
    if (b > 3 || Math.abs((double) acc) + (double) count * (1 << 23) >= EXACT) {
      return super.deltaFloats(p, n, b, from, count, acc, scale, dst, off);
    }
    int k = 0;
    int vectors = Math.max(0, Math.min(count, n - from - B.length() + L)) / L * L;
    int at1 = b > 1 ? n : 0;
    int at2 = b > 2 ? 2 * n : 0;
    int mask1 = b > 1 ? 0xFF : 0;
    int mask2 = b > 2 ? 0xFF : 0;
    DoubleVector carry = DoubleVector.broadcast(D, (double) acc);
    for (; k < vectors; k += L) {
      IntVector z = codes(p, from + k, at1, at2, mask1, mask2);
      IntVector d = z.lanewise(LSHR, 1).lanewise(XOR, z.and(1).neg());
      // The vector's running sums in ints (at most L * 2^23), shifted by constants, then the
      // integer before the vector added in doubles: 0.47-0.56 ns a value on the real data's delta
      // streams (JDK 17, AVX-512), where the shifts in a loop (not constants) took 0.85-0.95, a
      // scalar running sum into longs converted by vectors 0.95-1.1, and the scalar kernel 1.25.
      d = d.add(d.unslice(1));
      d = d.add(d.unslice(2));
      if (L > 4) {
        d = d.add(d.unslice(4));
      }
      DoubleVector x = ((DoubleVector) d.convertShape(I2D, D, 0)).add(carry);
      ((FloatVector) x.mul(scale).convertShape(D2F, F, 0)).intoArray(dst, off + k);
      carry = x.rearrange(LAST);
    }
    acc = (long) carry.lane(0);
    return k < count ? super.deltaFloats(p, n, b, from + k, count - k, acc, scale, dst, off + k) : acc;
  }
}
