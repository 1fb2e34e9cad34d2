package io.lazyq.arrow;

import io.lazyq.format.ColumnView;
import io.lazyq.storage.Region;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * {@link ArrowBuf}s that point straight into a LazyQ file's bytes, without copying: a mapped
 * local file, or ranges of a remote one fetched into pooled buffers.
 *
 * <p>Each buffer retains its {@link Region}; releasing the last {@code ArrowBuf} (and its slices
 * and transfers) over a region releases it, so the bytes stay valid (and a pooled buffer stays
 * out of the pool) exactly as long as Arrow can read them.
 *
 * <p>Accounting: {@link BufferAllocator#wrapForeignAllocation} charges the wrapped bytes to the
 * allocator, so allocator limits (a Spark task's, say) count mapped bytes as if they were
 * allocated. That is deliberate: a wrapped slice pins its mapping, and limits should see what a
 * batch pins. To keep the charge proportional to a batch, wrap the batch's slice, not a whole
 * column chunk.
 */
public final class ZeroCopy {
  private ZeroCopy() {}

  /**
   * Wraps {@code slice}, bytes {@code [position, limit)} of a direct buffer lying inside
   * {@code mapping}, as an ArrowBuf of {@code slice.remaining()} bytes.
   *
   * @throws IllegalArgumentException if the slice is not direct or lies outside the mapping
   */
  public static ArrowBuf wrap(BufferAllocator allocator, Region mapping, ByteBuffer slice) {
    if (!slice.isDirect()) {
      throw new IllegalArgumentException("only a direct buffer can be wrapped without copying");
    }
    long base = MemoryUtil.getByteBufferAddress(mapping.buffer());
    long address = MemoryUtil.getByteBufferAddress(slice) + slice.position();
    long length = slice.remaining();
    // The slice must lie inside the mapping: an address outside it would be read unchecked.
    if (address < base || address + length > base + mapping.length()) {
      throw new IllegalArgumentException("slice [" + address + ", +" + length + ") lies outside the mapping [" + base
          + ", +" + mapping.length() + ")");
    }
    if (length == 0) {
      return allocator.getEmpty();
    }
    MappedAllocation allocation = new MappedAllocation(length, address, mapping.retain());
    try {
      return allocator.wrapForeignAllocation(allocation);
    } catch (RuntimeException e) {
      allocation.release0();
      throw e;
    }
  }

  /**
   * Wraps {@code slice} of a view's bytes: zero-copy over a random-access file's view, a copy into
   * {@code allocator}'s memory for any other view (a sequential reader reuses its buffer).
   */
  public static ArrowBuf wrap(BufferAllocator allocator, ColumnView view, ByteBuffer slice) {
    Region mapping = view.owner();
    if (mapping != null && slice.isDirect()) {
      return wrap(allocator, mapping, slice);
    }
    return copy(allocator, slice);
  }

  /** Whether buffers over {@code view} can be wrapped without copying. */
  public static boolean isZeroCopy(ColumnView view) {
    return view.owner() != null && !view.isBlockEncoded() && view.valuesBuffer().isDirect();
  }

  /** The native address of the first byte of {@code slice}. */
  public static long address(ByteBuffer slice) {
    return MemoryUtil.getByteBufferAddress(slice) + slice.position();
  }

  static ArrowBuf copy(BufferAllocator allocator, ByteBuffer slice) {
    int length = slice.remaining();
    if (length == 0) {
      return allocator.getEmpty();
    }
    ArrowBuf buf = allocator.buffer(length);
    buf.setBytes(0, slice.duplicate());
    buf.writerIndex(length);
    return buf;
  }

  /** A wrapped range; releasing it drops its hold on the mapping, once. */
  private static final class MappedAllocation extends ForeignAllocation {
    private final Region mapping;
    private final AtomicBoolean released = new AtomicBoolean();

    MappedAllocation(long size, long address, Region mapping) {
      super(size, address);
      this.mapping = mapping;
    }

    @Override
    protected void release0() {
      if (released.compareAndSet(false, true)) {
        mapping.close();
      }
    }
  }
}
