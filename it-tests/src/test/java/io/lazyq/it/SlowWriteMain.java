package io.lazyq.it;

import io.lazyq.format.LzqWriter;
import io.lazyq.format.WriterOptions;
import io.lazyq.sample.SensorDay;
import java.nio.file.Path;

/**
 * Writes a sensor day of {@code ROWS} rows to {@code TARGET} in small chunks, so that its hidden
 * temporary file grows steadily until the process is killed: {@code SlowWriteMain TARGET ROWS}.
 */
public final class SlowWriteMain {
  private SlowWriteMain() {}

  public static void main(String[] args) throws Exception {
    SensorDay day = new SensorDay(Long.parseLong(args[1]), 16, 7);
    try (LzqWriter w = LzqWriter.create(Path.of(args[0]), SensorDay.schema(),
        WriterOptions.DEFAULTS.withChunkRows(1 << 16))) {
      day.write(w, rows -> { });
      w.commit();
    }
    System.out.println("finished=true");
  }
}
