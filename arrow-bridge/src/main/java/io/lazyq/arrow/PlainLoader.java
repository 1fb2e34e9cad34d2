package io.lazyq.arrow;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * Loads a row range of a plain column into an Arrow vector through {@code loadFieldBuffers}:
 * zero-copy over a mapped file, copied for a stream.
 *
 * <p>Conditions for zero-copy: validity and fixed-width values start at row {@code first}, a
 * multiple of 8, so their slices are byte-aligned. Two things are allocated, both small: the
 * offsets of a utf8 or list range not starting at row 0 (rebased to 0, so that an IPC writer
 * writes only the range's values, not the whole chunk's), and the bits of a {@code list<bool>}
 * range whose first element is not byte-aligned. Arrow itself allocates an all-set validity bitmap
 * for a range without nulls.
 */
final class PlainLoader {
  private PlainLoader() {}

  /** Returns the bytes the vector now points at in the view. */
  static long load(ColumnView view, int first, int count, FieldVector vector, BufferAllocator allocator)
      throws LazyQFormatException {
    Slices.checkRows(view, first, count);
    if (view.isQuantized()) {
      throw new IllegalArgumentException("column '" + view.field().name() + "' is quantized");
    }
    // Every check happens in this first part, before any ArrowBuf exists.
    ColumnType type = view.field().type();
    ByteBuffer validity = Slices.validity(view, first, count);
    int nulls = validity == null ? 0 : count - Slices.countSet(validity, count);
    ArrowFieldNode node = new ArrowFieldNode(count, nulls);
    if (!type.isList() && type.kind().isFixedWidth()) {
      int w = type.kind().width();
      if (view.isBlockEncoded()) {
        return loadDecoded(view, allocator, vector, node, validity, first, count * w);
      }
      ByteBuffer slice = Slices.range(view, view.valuesBuffer(), (long) first * w, (long) count * w, "values");
      return loadFlat(view, allocator, vector, node, validity, null, slice);
    }
    ByteBuffer values = view.valuesBuffer();
    if (type.kind() == ColumnType.Kind.BOOL) {
      ByteBuffer slice = Slices.range(view, values, first >>> 3, Slices.bitmapBytes(count), "values");
      return loadFlat(view, allocator, vector, node, validity, null, slice);
    }
    long elements = type.isList() ? view.chunk().valueCount() : values.limit();
    ByteBuffer offsets = Slices.offsets(view, first, count, elements);
    int start = offsets.getInt(0);
    int end = offsets.getInt(4 * count);
    if (type.kind() == ColumnType.Kind.UTF8) {
      ByteBuffer slice = Slices.range(view, values, start, end - start, "string bytes");
      return loadFlat(view, allocator, vector, node, validity, offsets, slice);
    }
    ColumnType.Kind element = type.element();
    boolean bits = element == ColumnType.Kind.BOOL;
    long from = bits ? start >>> 3 : (long) start * element.width();
    long to = bits ? Slices.bitmapBytes(end) : (long) end * element.width();
    ByteBuffer slice = Slices.range(view, values, from, to - from, "list elements");
    ListVector list = (ListVector) vector;
    long bytes = loadFlat(view, allocator, list, node, validity, offsets, null);
    List<ArrowBuf> child = new ArrayList<>(2);
    try {
      child.add(allocator.getEmpty());
      child.add(bits && (start & 7) != 0 ? shiftedBits(allocator, slice, start & 7, end - start)
          : ZeroCopy.wrap(allocator, view, slice));
      list.getDataVector().loadFieldBuffers(new ArrowFieldNode(end - start, 0), child);
    } finally {
      child.forEach(ArrowBuf::close);
    }
    return bytes + slice.remaining();
  }

  /**
   * Loads a range of block encodings, decoded (only the blocks the range covers) straight into a
   * buffer of the allocator's: where they were decoded into a heap buffer first and copied from
   * there, a copy of the batch per column.
   */
  private static long loadDecoded(ColumnView view, BufferAllocator allocator, FieldVector vector, ArrowFieldNode node,
      ByteBuffer validity, int first, int bytes) {
    List<ArrowBuf> buffers = new ArrayList<>(2);
    try {
      buffers.add(validity == null ? allocator.getEmpty() : ZeroCopy.wrap(allocator, view, validity));
      ArrowBuf values = bytes == 0 ? allocator.getEmpty() : allocator.buffer(bytes);
      buffers.add(values);
      if (bytes > 0) {
        view.decodeRange(first, node.getLength(), values.nioBuffer(0, bytes));
        values.writerIndex(bytes);
      }
      vector.loadFieldBuffers(node, buffers);
      return buffers.get(0).capacity() + values.capacity();
    } finally {
      // The vector retained what it keeps.
      buffers.forEach(ArrowBuf::close);
    }
  }

  /** Loads validity, offsets (if any) and values (if any) into one vector. */
  private static long loadFlat(ColumnView view, BufferAllocator allocator, FieldVector vector, ArrowFieldNode node,
      ByteBuffer validity, ByteBuffer offsets, ByteBuffer values) {
    List<ArrowBuf> buffers = new ArrayList<>(3);
    long bytes = 0;
    try {
      buffers.add(validity == null ? allocator.getEmpty() : ZeroCopy.wrap(allocator, view, validity));
      if (offsets != null) {
        buffers.add(offsets.getInt(0) == 0 ? ZeroCopy.wrap(allocator, view, offsets) : rebased(allocator, offsets));
      }
      if (values != null) {
        buffers.add(ZeroCopy.wrap(allocator, view, values));
      }
      vector.loadFieldBuffers(node, buffers);
      for (ArrowBuf b : buffers) {
        bytes += b.capacity();
      }
      return bytes;
    } finally {
      // The vector retained what it keeps.
      buffers.forEach(ArrowBuf::close);
    }
  }

  private static ArrowBuf rebased(BufferAllocator allocator, ByteBuffer offsets) {
    int n = offsets.remaining() >>> 2;
    int base = offsets.getInt(0);
    ArrowBuf buf = allocator.buffer(4L * n);
    for (int i = 0; i < n; i++) {
      buf.setInt(4L * i, offsets.getInt(4 * i) - base);
    }
    return buf;
  }

  /** Bits {@code [shift, shift + count)} of {@code src}, moved to start at bit 0. */
  private static ArrowBuf shiftedBits(BufferAllocator allocator, ByteBuffer src, int shift, int count) {
    ArrowBuf buf = allocator.buffer(Slices.bitmapBytes(count));
    buf.setZero(0, buf.capacity());
    for (int i = 0; i < count; i++) {
      int bit = shift + i;
      if ((src.get(bit >>> 3) & (1 << (bit & 7))) != 0) {
        buf.setByte(i >>> 3, buf.getByte(i >>> 3) | (1 << (i & 7)));
      }
    }
    return buf;
  }
}
