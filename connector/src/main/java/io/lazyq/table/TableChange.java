package io.lazyq.table;

import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.CommitInfo;
import io.lazyq.table.LogAction.Metadata;
import io.lazyq.table.LogAction.Operation;
import io.lazyq.table.LogAction.Protocol;
import io.lazyq.table.LogAction.RemoveFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a write job does to a table, whichever version it ends up following: add its files, and for
 * an overwrite, remove every file of the version it follows (or, replacing partitions, every file
 * of the partitions that its files belong to).
 *
 * @param jobId the job's id, recorded in the commit info
 * @param overwrite whether the job replaces files of the table
 * @param metadata the schema of the job's files
 * @param adds the job's files
 * @param partitionsOnly whether an overwrite replaces only the partitions it writes (Spark's
 *     dynamic partition overwrite), keeping the table's schema and partitioning
 */
public record TableChange(String jobId, boolean overwrite, Metadata metadata, List<AddFile> adds,
    boolean partitionsOnly) {
  public TableChange {
    adds = List.copyOf(adds);
    if (partitionsOnly && !overwrite) {
      throw new IllegalArgumentException("only an overwrite replaces partitions");
    }
  }

  /** An append, or an overwrite of every file. */
  public TableChange(String jobId, boolean overwrite, Metadata metadata, List<AddFile> adds) {
    this(jobId, overwrite, metadata, adds, false);
  }

  /** An overwrite of the partitions that {@code adds} belong to, and of no other. */
  public static TableChange replacePartitions(String jobId, Metadata metadata, List<AddFile> adds) {
    return new TableChange(jobId, true, metadata, adds, true);
  }

  /**
   * The actions of the version after {@code base}. The first version starts with the protocol and
   * the metadata, and takes over (or, overwriting, removes) the files the table held before it had
   * a log; an overwrite records its metadata again, since it may change the schema.
   */
  List<LogAction> actions(Snapshot base, long now) {
    List<LogAction> actions = new ArrayList<>();
    boolean first = !base.logged();
    if (first) {
      actions.add(Protocol.CURRENT);
    }
    if (first || overwrite) {
      actions.add(metadata);
    }
    Set<Map<String, String>> replaced = adds.stream().map(AddFile::partitionValues).collect(Collectors.toSet());
    for (AddFile f : base.files()) {
      if (overwrite && (!partitionsOnly || replaced.contains(f.partitionValues()))) {
        actions.add(new RemoveFile(f.path(), now));
      } else if (first) {
        actions.add(f);
      }
    }
    actions.addAll(adds);
    Operation op = partitionsOnly ? Operation.OVERWRITE_PARTITIONS : overwrite ? Operation.OVERWRITE
        : first ? Operation.CREATE : Operation.APPEND;
    actions.add(new CommitInfo(op, now, jobId, base.version()));
    return actions;
  }

  /** Why this change cannot follow {@code base}, or null when it can. */
  String conflict(Snapshot base) {
    if ((!overwrite || partitionsOnly) && base.metadata() != null && !base.metadata().compatible(metadata)) {
      return "as of version " + base.version() + " the table's columns are " + describe(base.metadata())
          + ", which the written files' " + describe(metadata) + " do not match";
    }
    return null;
  }

  private static String describe(Metadata m) {
    return m.schema().stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", ", "(", ")"))
        + (m.partitionColumns().isEmpty() ? "" : " partitioned by " + m.partitionColumns());
  }
}
