package io.lazyq.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * A part file that a task committed: its name (in the job's staging directory until the job
 * commits, then in the table's directory; for a partitioned table, under its partition
 * directories), rows, bytes and partition values (empty for an unpartitioned table). The job
 * publishes exactly the files of the messages it receives, so an attempt that did not commit is
 * never published.
 */
record PartFile(String name, long rows, long bytes, Map<String, String> partitionValues)
    implements WriterCommitMessage {
  PartFile {
    partitionValues = partitionValues == null ? Map.of() : new HashMap<>(partitionValues);
  }

  /** A file of an unpartitioned table. */
  PartFile(String name, long rows, long bytes) {
    this(name, rows, bytes, Map.of());
  }

  /** The files that one task committed: one per partition it wrote. */
  record Task(PartFile[] files) implements WriterCommitMessage {}

  /** The files of every task's message; null for a message that is missing or of another kind. */
  static PartFile[] of(WriterCommitMessage[] messages) {
    java.util.List<PartFile> files = new java.util.ArrayList<>();
    for (WriterCommitMessage m : messages == null ? new WriterCommitMessage[0] : messages) {
      if (m instanceof Task t) {
        files.addAll(java.util.Arrays.asList(t.files()));
      } else {
        files.add(m instanceof PartFile f ? f : null);
      }
    }
    return files.toArray(new PartFile[0]);
  }
}
