package io.lazyq.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lazyq.format.SampleTables;
import io.lazyq.format.TableReads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResealTest {
  @TempDir Path dir;

  @Test
  void leavesAValidFileAsItIsAndRepairsEveryChecksum() throws Exception {
    Path file = dir.resolve("t.lzq");
    List<Object[]> rows = SampleTables.allTypesRows(20, 5);
    SampleTables.write(file, SampleTables.allTypes(), rows, 8);
    byte[] good = Files.readAllBytes(file);
    assertArrayEquals(good, Reseal.of(good));

    byte[] zeroed = good.clone();
    for (int crcAt : new int[] {60, 64 + 16, 64 + 60, good.length - 16}) {
      java.util.Arrays.fill(zeroed, crcAt, crcAt + 4, (byte) 0);
    }
    assertArrayEquals(good, Reseal.of(zeroed));
    Files.write(file, Reseal.of(zeroed));
    assertEquals(rows.size(), TableReads.readMapped(file).size());
  }
}
