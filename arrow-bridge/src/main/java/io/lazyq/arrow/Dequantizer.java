package io.lazyq.arrow;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.ColumnView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Decodes a quantized column batch by batch into vectors that are allocated once and reused: a
 * batch holds only its own rows' floats. Blocks decode into a reused float array, then move to
 * the vector in one bulk copy per piece (the codecs decode into float arrays).
 */
final class Dequantizer {
  private final float[] scratch;

  Dequantizer(int scratchValues) {
    this.scratch = new float[scratchValues];
  }

  /** Fills {@code vector} (float32, or list of float32) with rows {@code [first, first + count)}. */
  void fill(ColumnView view, int first, int count, FieldVector vector) throws LazyQFormatException {
    Slices.checkRows(view, first, count);
    ByteBuffer validity = Slices.validity(view, first, count);
    long values = view.chunk().valueCount();
    if (vector instanceof ListVector list) {
      ByteBuffer offsets = Slices.offsets(view, first, count, values);
      int start = offsets.getInt(0);
      int elements = offsets.getInt(4 * count) - start;
      while (list.getValueCapacity() < count) {
        list.reAlloc();
      }
      ArrowBuf target = list.getOffsetBuffer();
      for (int i = 0; i <= count; i++) {
        target.setInt(4L * i, offsets.getInt(4 * i) - start);
      }
      setValidity(list.getValidityBuffer(), validity, count);
      fillFloats(view, start, elements, (Float4Vector) list.getDataVector(), null);
      // Without lastSet, setValueCount would take the offsets for unset rows and overwrite them.
      list.setLastSet(count - 1);
      list.setValueCount(count);
    } else {
      if ((long) first + count > values) {
        throw Slices.corrupt(view, "holds " + values + " values, fewer than its rows");
      }
      fillFloats(view, first, count, (Float4Vector) vector, validity);
    }
  }

  private void fillFloats(ColumnView view, long first, int count, Float4Vector vector, ByteBuffer validity) {
    while (vector.getValueCapacity() < count) {
      vector.reAlloc();
    }
    setValidity(vector.getValidityBuffer(), validity, count);
    ArrowBuf data = vector.getDataBuffer();
    for (int done = 0; done < count; ) {
      int n = Math.min(scratch.length, count - done);
      view.readFloats(first + done, n, scratch, 0);
      data.nioBuffer(4L * done, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(scratch, 0, n);
      done += n;
    }
    vector.setValueCount(count);
  }

  private static void setValidity(ArrowBuf target, ByteBuffer validity, int count) {
    if (validity == null) {
      target.setOne(0L, (long) Slices.bitmapBytes(count));
    } else {
      target.setBytes(0, validity.duplicate());
    }
  }
}
