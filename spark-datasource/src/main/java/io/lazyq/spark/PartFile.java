package io.lazyq.spark;

import io.lazyq.table.FileStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * A part file that a task committed: its name (in the job's staging directory until the job
 * commits, then in the table's directory; for a partitioned table, under its partition
 * directories), rows, bytes, partition values (empty for an unpartitioned table) and its columns'
 * statistics from its chunks'. The job publishes exactly the files of the messages it receives, so
 * an attempt that did not commit is never published.
 */
record PartFile(String name, long rows, long bytes, Map<String, String> partitionValues, FileStats stats)
    implements WriterCommitMessage {
  PartFile {
    partitionValues = partitionValues == null ? Map.of() : new HashMap<>(partitionValues);
    stats = stats == null ? FileStats.NONE : stats;
  }

  /** A file of an unpartitioned table whose statistics are not known here. */
  PartFile(String name, long rows, long bytes) {
    this(name, rows, bytes, Map.of(), FileStats.NONE);
  }

  /** The files that one task committed: one per partition it wrote. */
  record Task(PartFile[] files) implements WriterCommitMessage {}

  /** The files of every task's message; null for a message that is missing or of another kind. */
  static PartFile[] of(WriterCommitMessage[] messages) {
    List<PartFile> files = new ArrayList<>();
    for (WriterCommitMessage m : messages == null ? new WriterCommitMessage[0] : messages) {
      if (m instanceof Task t) {
        files.addAll(Arrays.asList(t.files()));
      } else {
        files.add(m instanceof PartFile f ? f : null);
      }
    }
    return files.toArray(new PartFile[0]);
  }
}
