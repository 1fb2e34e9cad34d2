package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.WriterOptions;
import io.lazyq.sample.SensorDay;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lazyq generate}: deterministic synthetic data for demos, tests and benchmarks. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate deterministic synthetic data.",
    subcommands = GenerateCommand.Sensors.class)
public final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return LazyQ.USAGE;
  }

  /** {@code lazyq generate sensors}. */
  @Command(name = "sensors", mixinStandardHelpOptions = true,
      description = "A day of high-frequency sensor data: ts, sensor, temperature, pressure, vibration,"
          + " with daily cycles, drift, noise and anomaly windows.")
  static final class Sensors implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE.lzq")
    Path out;

    @Option(names = "--rows", paramLabel = "N", description = "Samples (default: ${DEFAULT-VALUE}).")
    long rows = 1_000_000;

    @Option(names = "--sensors", paramLabel = "K", description = "Sensors (default: ${DEFAULT-VALUE}).")
    int sensors = 16;

    @Option(names = "--seed", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--follow", description = "Keep appending chunks to the file at --rate, each readable as soon as"
        + " it is written, until --for seconds have passed or --rows rows are written; the footer comes last.")
    boolean follow;

    @Option(names = "--rate", paramLabel = "ROWS_PER_SECOND", description = "With --follow: rows per second"
        + " (default: ${DEFAULT-VALUE}).")
    double rate = 10_000;

    @Option(names = "--for", paramLabel = "SECONDS", description = "With --follow: stop after this long"
        + " (default: no limit but --rows).")
    double seconds = Double.POSITIVE_INFINITY;

    @picocli.CommandLine.Mixin EncodingOptions encoding;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      SensorDay day = new SensorDay(rows, sensors, seed);
      var schema = encoding.spec().applyTo(SensorDay.schema());
      if (follow) {
        return follow(day, schema);
      }
      try (Progress progress = Progress.start("generate", rows, "rows");
          LzqWriter w = LzqWriter.create(out, schema, encoding.writerOptions())) {
        day.write(w, progress::stepTo);
        w.commit();
      }
      PrintWriter o = spec.commandLine().getOut();
      o.printf("wrote %,d rows from %d sensors to %s (%,d bytes)%n", rows, sensors, out, Files.size(out));
      o.flush();
      return LazyQ.OK;
    }

    /** Appends one chunk at a time, paced so that rows arrive at {@code rate} on average. */
    private Integer follow(SensorDay day, io.lazyq.format.Schema schema) throws Exception {
      if (!(rate > 0)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rate must be positive");
      }
      WriterOptions options = encoding.writerOptions();
      long start = System.nanoTime();
      long deadline = Double.isInfinite(seconds) ? Long.MAX_VALUE : start + (long) (seconds * 1e9);
      long written = 0;
      try (LzqWriter w = LzqWriter.appendable(out, schema, options)) {
        while (written < rows && System.nanoTime() < deadline) {
          long to = Math.min(rows, written + options.chunkRows());
          long due = start + (long) (to / rate * 1e9);
          long wait = Math.min(due, deadline) - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          if (due > deadline) {
            break; // the next chunk would only be due after the deadline
          }
          day.writeRows(w, written, to);
          w.flushChunk();
          written = to;
        }
        w.commit();
      }
      PrintWriter o = spec.commandLine().getOut();
      o.printf("appended %,d rows from %d sensors to %s (%,d bytes)%n", written, sensors, out, Files.size(out));
      o.flush();
      return LazyQ.OK;
    }
  }
}
