package io.lazyq.table;

import io.lazyq.table.LogAction.CommitInfo;
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
}
