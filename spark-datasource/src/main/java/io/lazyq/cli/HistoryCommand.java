package io.lazyq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lazyq.table.LogAction;
import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.CommitInfo;
import io.lazyq.table.LogAction.RemoveFile;
import io.lazyq.table.LogEntry;
import io.lazyq.table.Snapshot;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code lazyq history DIR}: the versions of a table directory's log, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Lists the versions of a table directory, newest first: when each was committed, what it did,"
        + " the files it added and removed, and the rows and bytes of the table as of it. Any of them reads with"
        + " the option versionAsOf or timestampAsOf.")
public final class HistoryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The table's directory: a path, or a URI (hdfs://, s3a://).")
  String directory;

  @Mixin StorageOptions storage = new StorageOptions();

  @Option(names = "--json", description = "One JSON array of versions instead of a table.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One version as the history shows it; rows and bytes are the table's as of the version. */
  record Version(long version, Instant time, String operation, int added, int removed, long rows, long bytes,
      String job) {}

  @Override
  public Integer call() throws IOException {
    TableLog log = new TableLog(directory, storage.storage());
    List<Version> versions = versions(log);
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(directory + " has no log (" + TableLog.DIRECTORY + "), so no history");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode array = mapper.createArrayNode();
      for (Version v : versions) {
        ObjectNode o = array.addObject();
        o.put("version", v.version()).put("time", v.time() == null ? null : v.time().toString())
            .put("operation", v.operation()).put("filesAdded", v.added()).put("filesRemoved", v.removed())
            .put("rows", v.rows()).put("bytes", v.bytes()).put("job", v.job());
      }
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } else {
      out.printf("%7s  %-24s  %-9s  %5s  %7s  %13s  %15s  %s%n", "version", "time", "operation", "added", "removed",
          "rows", "bytes", "job");
      for (Version v : versions) {
        out.printf("%7d  %-24s  %-9s  %5d  %7d  %,13d  %,15d  %s%n", v.version(), v.time() == null ? "-" : v.time(),
            v.operation(), v.added(), v.removed(), v.rows(), v.bytes(), v.job());
      }
    }
    out.flush();
    return LazyQ.OK;
  }

  /**
   * Every version the log holds, newest first, each with the table's totals as of it (so replayed
   * from version 0, or from the checkpoint where the log was expired).
   */
  static List<Version> versions(TableLog log) throws IOException {
    List<Version> versions = new ArrayList<>();
    Snapshot s = Snapshot.beforeLog(log.table(), List.of());
    for (LogEntry e : log.entries()) {
      s = e.version() == s.version() + 1 ? s.apply(e) : log.snapshotAt(e.version());
      int added = 0;
      int removed = 0;
      for (LogAction a : e.actions()) {
        added += a instanceof AddFile ? 1 : 0;
        removed += a instanceof RemoveFile ? 1 : 0;
      }
      CommitInfo c = e.commitInfo().orElse(null);
      versions.add(new Version(e.version(), c == null ? null : Instant.ofEpochMilli(c.timestamp()),
          c == null ? "-" : c.operation().name().toLowerCase(Locale.ROOT), added, removed, s.rows(),
          s.files().stream().mapToLong(AddFile::bytes).sum(), c == null ? "-" : c.jobId()));
    }
    Collections.reverse(versions);
    return versions;
  }
}
