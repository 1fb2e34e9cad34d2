package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lazyq.format.ColumnType;
import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.format.WriterOptions;
import io.lazyq.storage.Mapping;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroCopyTest {
  @TempDir
  Path dir;

  static Path floats(Path file, int rows) throws Exception {
    try (LzqWriter w = LzqWriter.create(file, Schema.of(Field.of("x", ColumnType.FLOAT32)), WriterOptions.DEFAULTS)) {
      for (int i = 0; i < rows; i++) {
        w.setFloat(0, i * 0.5f).endRow();
      }
      w.commit();
    }
    return file;
  }

  @Test
  void wrapsMappedBytesInPlaceAndHoldsTheMapping() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        LzqFile file = LzqFile.open(floats(dir.resolve("f.lzq"), 1000))) {
      ArrowBuf buf;
      ByteBuffer values;
      try (ColumnView view = file.column(0, 0)) {
        Mapping mapping = assertInstanceOf(Mapping.class, view.owner());
        values = view.valuesBuffer();
        buf = ZeroCopy.wrap(allocator, mapping, values);
        assertEquals(2, mapping.references());
      }
      // The view is closed, but the ArrowBuf still holds the mapping: same address, no copy.
      assertEquals(1, file.mappingStats().liveMappings());
      assertEquals(ZeroCopy.address(values), buf.memoryAddress());
      assertEquals(4000, buf.capacity());
      assertEquals(4000, allocator.getAllocatedMemory(), "wrapped bytes are charged to the allocator");
      assertEquals(999 * 0.5f, buf.getFloat(999 * 4L));

      // A slice shares the ledger: the mapping goes only with the last reference.
      ArrowBuf slice = buf.slice(40, 40);
      slice.getReferenceManager().retain();
      buf.close();
      assertEquals(1, file.mappingStats().liveMappings());
      assertEquals(10 * 0.5f, slice.getFloat(0));
      slice.getReferenceManager().release();
      assertEquals(0, file.mappingStats().liveMappings());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void refusesSlicesOutsideTheMapping() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        LzqFile file = LzqFile.open(floats(dir.resolve("f.lzq"), 100));
        ColumnView view = file.column(0, 0)) {
      Mapping mapping = (Mapping) view.owner();
      ByteBuffer elsewhere = ByteBuffer.allocateDirect(64);
      assertThrows(IllegalArgumentException.class, () -> ZeroCopy.wrap(allocator, mapping, elsewhere));
      assertThrows(IllegalArgumentException.class, () -> ZeroCopy.wrap(allocator, mapping, ByteBuffer.allocate(8)));
      assertEquals(1, mapping.references());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }
}
