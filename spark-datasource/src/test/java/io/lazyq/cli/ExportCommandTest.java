package io.lazyq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lazyq.format.SampleTables;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
  @TempDir
  Path dir;

  @Test
  void exportsFileAndStreamThroughTheLauncher() throws Exception {
    Path lzq = dir.resolve("t.lzq");
    SampleTables.write(lzq, SampleTables.allTypes(), SampleTables.allTypesRows(300, 1), 128);
    Path file = dir.resolve("t.arrow");
    Path stream = dir.resolve("t.arrows");
    assertEquals(0, LazyQ.run("export", lzq.toString(), file.toString(), "--columns", "i32,name", "--batch-rows", "64"));
    assertEquals(0, LazyQ.run("export", lzq.toString(), stream.toString(), "--stream"));
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader f = new ArrowFileReader(Files.newByteChannel(file), allocator);
        ArrowStreamReader s = new ArrowStreamReader(Files.newInputStream(stream), allocator)) {
      assertEquals(2, f.getVectorSchemaRoot().getSchema().getFields().size());
      assertEquals(5, f.getRecordBlocks().size(), "128 + 128 + 44 rows in batches of 64");
      int rows = 0;
      while (s.loadNextBatch()) {
        rows += s.getVectorSchemaRoot().getRowCount();
      }
      assertEquals(300, rows);
    }
  }

  @Test
  void badInputExitsWithThree() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.lzq"), "not a lazyq file at all, just some text");
    assertEquals(LazyQ.BAD_INPUT, LazyQ.run("export", junk.toString(), dir.resolve("o.arrow").toString()));
  }
}
