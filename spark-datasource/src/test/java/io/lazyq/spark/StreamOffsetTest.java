package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offsets that stream checkpoints hold: both forms read back, and neither is taken for the other. */
class StreamOffsetTest {
  @Test
  void aCheckpointOfADirectoryWithoutALogReadsAsBefore() {
    // as checkpoints have held it since streams began: path to complete chunks read
    ChunkOffset o = ChunkOffset.parse("{\"/data/live/a.lzq\":3,\"/data/live/b.lzq\":5}");
    assertEquals(Map.of("/data/live/a.lzq", 3, "/data/live/b.lzq", 5), o.files());
    assertEquals(0, o.chunks("/data/live/c.lzq"));
    assertEquals("{\"/data/live/a.lzq\":3,\"/data/live/b.lzq\":5}", o.json());
  }

  @Test
  void positionsInALogReadBackAndOrderByVersionFileAndChunk() {
    LogOffset o = new LogOffset(7, false, 2, 1);
    assertEquals("{\"version\":7,\"initial\":false,\"file\":2,\"chunk\":1}", o.json());
    assertEquals(o, LogOffset.parse(o.json(), "t"));
    assertEquals(LogOffset.BEGIN, LogOffset.parse(LogOffset.BEGIN.json(), "t"));
    assertTrue(LogOffset.BEGIN.compareTo(LogOffset.initial(0)) < 0);
    assertTrue(LogOffset.initial(4).compareTo(new LogOffset(4, true, 0, 1)) < 0);
    assertTrue(new LogOffset(4, true, 9, 9).compareTo(new LogOffset(5, false, 0, 0)) < 0);
    assertTrue(new LogOffset(5, false, 0, 3).compareTo(new LogOffset(5, false, 1, 0)) < 0);
  }

  /** The first micro-batch ends within the files of the version it started from, or just after them. */
  @Test
  void theFirstMicroBatchsEndTellsWhereItStarted() {
    assertEquals(LogOffset.initial(4), new LogOffset(4, true, 3, 2).startOf());
    assertEquals(LogOffset.initial(4), new LogOffset(5, false, 0, 0).startOf());
  }

  @Test
  void anOffsetOfTheOtherFormIsRefusedNamingWhatToDo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LogOffset.parse("{\"/data/t/part-0.lzq\":3}", "/data/t"));
    assertTrue(e.getMessage().contains("/data/t") && e.getMessage().contains("new checkpoint location"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LogOffset.parse("{\"version\":-2,\"initial\":true,"
        + "\"file\":0,\"chunk\":0}", "t"));
    assertThrows(IllegalArgumentException.class, () -> ChunkOffset.parse(new LogOffset(1, false, 0, 0).json()));
  }
}
