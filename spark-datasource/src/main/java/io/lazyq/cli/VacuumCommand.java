package io.lazyq.cli;

import io.lazyq.spark.TableVacuum;
import io.lazyq.storage.Storage;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.network.util.JavaUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code lazyq vacuum DIR}: deletes the files of a table directory that no version within the
 * retention needs, and what killed writes left there.
 */
@Command(name = "vacuum", mixinStandardHelpOptions = true,
    description = "Deletes the files of a table directory that versions removed more than --retain ago, and what"
        + " killed Spark writes left (staging directories, part files in no version, temporary log entries) that"
        + " nothing has modified for --min-age. Readers of the versions retained never miss a file.")
public final class VacuumCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The table's directory: a path, or a URI (hdfs://, s3a://).")
  String directory;

  @Mixin StorageOptions storageOptions = new StorageOptions();

  @Option(names = "--min-age", defaultValue = "24h", paramLabel = "AGE",
      description = "Only what is older than this (30m, 24h, 7d; default: ${DEFAULT-VALUE}): a running write looks"
          + " the same as a killed one until then.")
  String minAge;

  @Option(names = "--retain", defaultValue = "7d", paramLabel = "AGE",
      description = "Keep the files that versions removed less than this ago (default: ${DEFAULT-VALUE}), for the"
          + " queries still reading those versions.")
  String retain;

  @Option(names = "--unsafe-for-running-readers",
      description = "Allow --retain under an hour: a query reading an older version may then fail.")
  boolean unsafe;

  @Option(names = "--expire-log",
      description = "Also delete the log's entries before its newest checkpoint older than --retain, as Delta's"
          + " log retention: time travel then reaches back as far as --retain, no further.")
  boolean expireLog;

  @Option(names = "--dry-run", description = "Print what would be deleted, and delete nothing.")
  boolean dryRun;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Duration age = duration("--min-age", minAge);
    Duration retention = duration("--retain", retain);
    if (retention.compareTo(Duration.ofHours(1)) < 0 && !unsafe) {
      throw new IllegalArgumentException("--retain " + retain + " may delete files that running queries read;"
          + " add --unsafe-for-running-readers to do it anyway");
    }
    Storage storage = storageOptions.storage();
    TableVacuum plan = TableVacuum.plan(directory, storage, age, retention);
    PrintWriter out = spec.commandLine().getOut();
    for (TableVacuum.Leftover l : plan.leftovers()) {
      out.println((dryRun ? "would delete " : "deleting ") + l.name() + (l.directory() ? "/" : ""));
    }
    if (!dryRun) {
      plan.delete(storage);
    }
    if (expireLog && !dryRun) {
      List<String> expired = new TableLog(directory, storage).expire(Instant.now().minus(retention).toEpochMilli());
      out.printf("expired %d log files before the newest checkpoint older than %s%n", expired.size(), retain);
    }
    out.printf("%s %d leftovers, %,d bytes, in %s%n", dryRun ? "would delete" : "deleted", plan.leftovers().size(),
        plan.bytes(), directory);
    out.flush();
    return LazyQ.OK;
  }

  private static Duration duration(String option, String value) {
    try {
      return Duration.ofSeconds(JavaUtils.timeStringAsSec(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a duration such as 30m, 24h or 7d, not '" + value + "'");
    }
  }
}
