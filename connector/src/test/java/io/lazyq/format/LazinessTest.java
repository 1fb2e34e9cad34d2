package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazinessTest {
  @TempDir Path dir;

  private Path tenColumns(int rows, int chunkRows) throws Exception {
    List<Field> fields = new ArrayList<>();
    for (int c = 0; c < 9; c++) {
      fields.add(Field.of("c" + c, ColumnType.FLOAT64));
    }
    fields.add(Field.of("window", ColumnType.listOf(ColumnType.FLOAT32)));
    Path path = dir.resolve("ten.lzq");
    try (LzqWriter w = LzqWriter.create(path, new Schema(fields, Map.of()), WriterOptions.DEFAULTS.withChunkRows(chunkRows))) {
      float[] window = new float[64];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < 9; c++) {
          w.setDouble(c, r * 10 + c);
        }
        for (int i = 0; i < window.length; i++) {
          window[i] = r + i / 64f;
        }
        w.setFloats(9, window).endRow();
      }
      w.commit();
    }
    return path;
  }

  @Test
  void openingMapsNothingAndOneColumnMapsOnlyItsChunks() throws Exception {
    Path path = tenColumns(10_000, 1000);
    try (LzqFile file = LzqFile.open(path)) {
      assertEquals(0, file.mappingStats().mappings(), "opening reads the index only");
      long expectedBytes = 0;
      double sum = 0;
      for (int chunk = 0; chunk < file.index().size(); chunk++) {
        expectedBytes += file.index().chunk(chunk).column(3).length();
        try (ColumnView v = file.column(chunk, 3)) {
          for (int r = 0; r < v.rows(); r++) {
            sum += v.getDouble(r);
          }
        }
      }
      assertEquals(10, file.mappingStats().mappings(), "one mapping per chunk of the one column read");
      assertEquals(expectedBytes, file.mappingStats().bytesMapped(), "only column c3's bytes were mapped");
      assertEquals(0, file.mappingStats().liveMappings(), "closing the views released every mapping");
      double expected = 0;
      for (int r = 0; r < 10_000; r++) {
        expected += r * 10 + 3;
      }
      assertEquals(expected, sum);
    }
  }

  @Test
  void neighbouringColumnsShareOneMappingUntilTheLastViewCloses() throws Exception {
    Path path = tenColumns(3000, 1000);
    try (LzqFile file = LzqFile.open(path)) {
      ChunkDescriptor chunk = file.index().chunk(1);
      ColumnView[] views = file.columns(1, new int[] {5, 2, 3, 7});
      assertEquals(3, file.mappingStats().mappings(), "c2 and c3 are neighbours; c6's 8000 bytes keep c5 and c7 apart");
      assertEquals(chunk.column(3).end() - chunk.column(2).offset() + chunk.column(5).length() + chunk.column(7).length(),
          file.mappingStats().bytesMapped(), "c6 is not mapped");
      views[1].close();
      views[3].close();
      assertEquals(2, file.mappingStats().liveMappings(), "a mapping lives while a view over it does");
      assertEquals(1000 * 10 + 3, views[2].getDouble(0), "c3 after c2 was closed");
      assertEquals(1999 * 10 + 5, views[0].getDouble(999), "c5 after c7 was closed");
      views[2].close();
      assertEquals(1, file.mappingStats().liveMappings(), "the last view over c2 and c3 released their mapping");
      views[0].close();
      assertEquals(0, file.mappingStats().liveMappings());
    }
  }

  @Test
  void oneListElementTouchesOnlyItsSlice() throws Exception {
    Path path = tenColumns(2000, 2000);
    try (LzqFile file = LzqFile.open(path); ColumnView v = file.column(0, 9)) {
      assertEquals(1, file.mappingStats().mappings());
      assertEquals(1234 + 17 / 64f, v.getListFloat(1234, 17));
      assertEquals(64, v.listLength(1999));
      assertEquals(1234 * 64 + 17, v.listStart(1234) + 17, "element index = row offset + i, so only that slice is read");
    }
  }
}
