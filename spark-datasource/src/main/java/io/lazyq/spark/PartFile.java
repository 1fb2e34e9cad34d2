package io.lazyq.spark;

import io.lazyq.table.FileStats;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * A part file that a task committed: its name (in the job's staging directory until the job
 * commits, then in the table's directory), rows, bytes and its columns' statistics from its chunks'. The job publishes exactly the files
 * of the messages it receives, so an attempt that did not commit is never published.
 */
record PartFile(String name, long rows, long bytes, FileStats stats) implements WriterCommitMessage {
  /** A file whose statistics are not known here. */
  PartFile(String name, long rows, long bytes) {
    this(name, rows, bytes, FileStats.NONE);
  }
}
