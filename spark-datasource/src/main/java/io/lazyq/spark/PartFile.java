package io.lazyq.spark;

import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * A part file that a task committed: its name (in the job's staging directory until the job
 * commits, then in the table's directory), rows and bytes. The job publishes exactly the files
 * of the messages it receives, so an attempt that did not commit is never published.
 */
record PartFile(String name, long rows, long bytes) implements WriterCommitMessage {}
