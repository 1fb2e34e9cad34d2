package io.lazyq.cli;

import io.lazyq.spark.TableVacuum;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.spark.network.util.JavaUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code lazyq vacuum DIR}: deletes what killed writes left in a table directory. */
@Command(name = "vacuum", mixinStandardHelpOptions = true,
    description = "Deletes what killed Spark writes left in a table directory (staging directories, unlisted part"
        + " files, temporary manifests) that nothing has modified for --min-age. Readers never see them.")
public final class VacuumCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The table's directory.")
  Path directory;

  @Option(names = "--min-age", defaultValue = "24h", paramLabel = "AGE",
      description = "Only what is older than this (30m, 24h, 7d; default: ${DEFAULT-VALUE}): a running write looks"
          + " the same as a killed one until then.")
  String minAge;

  @Option(names = "--dry-run", description = "Print what would be deleted, and delete nothing.")
  boolean dryRun;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Duration age;
    try {
      age = Duration.ofSeconds(JavaUtils.timeStringAsSec(minAge));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--min-age must be a duration such as 30m, 24h or 7d, not '" + minAge + "'");
    }
    TableVacuum plan = TableVacuum.plan(directory, age);
    PrintWriter out = spec.commandLine().getOut();
    for (Path p : plan.leftovers()) {
      out.println((dryRun ? "would delete " : "deleting ") + directory.relativize(p) + (Files.isDirectory(p) ? "/" : ""));
    }
    if (!dryRun) {
      plan.delete();
    }
    out.printf("%s %d leftovers, %,d bytes, in %s%n", dryRun ? "would delete" : "deleted", plan.leftovers().size(),
        plan.bytes(), directory);
    out.flush();
    return LazyQ.OK;
  }
}
