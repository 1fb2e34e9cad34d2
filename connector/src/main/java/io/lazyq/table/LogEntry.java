package io.lazyq.table;

import io.lazyq.table.LogAction.AddFile;
import io.lazyq.table.LogAction.CommitInfo;
import io.lazyq.table.LogAction.Metadata;
import io.lazyq.table.LogAction.Operation;
import io.lazyq.table.LogAction.RemoveFile;
import java.util.List;
import java.util.Optional;

/**
 * One version of a table: the actions of its log entry, and the file that holds them.
 *
 * @param version the version, from 0
 * @param file the entry's location
 * @param actions its actions, in order
 */
public record LogEntry(long version, String file, List<LogAction> actions) {
  public LogEntry {
    actions = List.copyOf(actions);
  }

  /** Who committed this version and how, where the entry says. */
  public Optional<CommitInfo> commitInfo() {
    return actions.stream().filter(CommitInfo.class::isInstance).map(CommitInfo.class::cast).findFirst();
  }

  /**
   * Whether this version only added files: an append (or the log's start), which removes no file
   * and keeps the schema. A stream of a table's new rows follows such versions; any other changes
   * rows that the stream may already have handed on.
   */
  public boolean onlyAdds() {
    boolean removesOrReshapes = actions.stream().anyMatch(a -> a instanceof RemoveFile
        || a instanceof Metadata && version > 0);
    return !removesOrReshapes && commitInfo().map(c -> c.operation() == Operation.APPEND
        || c.operation() == Operation.CREATE).orElse(true);
  }

  /** The files this version added, in order. */
  public List<AddFile> adds() {
    return actions.stream().filter(AddFile.class::isInstance).map(AddFile.class::cast).toList();
  }
}
