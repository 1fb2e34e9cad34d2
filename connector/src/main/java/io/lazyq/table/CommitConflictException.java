package io.lazyq.table;

import java.io.IOException;

/**
 * A commit that another writer's commit made wrong: the job committed nothing, and the table is
 * as the other writer left it.
 */
public final class CommitConflictException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long readVersion;
  private final long conflictingVersion;

  public CommitConflictException(String message, long readVersion, long conflictingVersion) {
    super(message);
    this.readVersion = readVersion;
    this.conflictingVersion = conflictingVersion;
  }

  /** The version that the job read and meant to follow. */
  public long readVersion() {
    return readVersion;
  }

  /** The version that another writer committed after it. */
  public long conflictingVersion() {
    return conflictingVersion;
  }
}
