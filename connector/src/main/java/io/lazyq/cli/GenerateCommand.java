package io.lazyq.cli;

import io.lazyq.format.EncodingSpec;
import io.lazyq.format.LzqWriter;
import io.lazyq.format.WriterOptions;
import io.lazyq.sample.SensorDay;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lazyq generate}: deterministic synthetic data for demos, tests and benchmarks. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate deterministic synthetic data.",
    subcommands = GenerateCommand.Sensors.class)
public final class GenerateCommand implements Subcommand {
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

    @picocli.CommandLine.Mixin EncodingOptions encoding;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      SensorDay day = new SensorDay(rows, sensors, seed);
      var schema = encoding.spec().applyTo(SensorDay.schema());
      try (Progress progress = Progress.start("generate", rows, "rows");
          LzqWriter w = LzqWriter.create(out, schema, encoding.writerOptions())) {
        day.write(w, progress::stepTo);
      }
      PrintWriter o = spec.commandLine().getOut();
      o.printf("wrote %,d rows from %d sensors to %s (%,d bytes)%n", rows, sensors, out, Files.size(out));
      o.flush();
      return LazyQ.OK;
    }
  }
}
