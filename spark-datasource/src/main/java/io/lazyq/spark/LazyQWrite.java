package io.lazyq.spark;

import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * A batch write of part files, one per task, published together by the job's commit
 * ({@link TableCommit}). Spark's commit coordinator lets one attempt per partition commit, and only
 * committed attempts' files reach the job's commit.
 */
final class LazyQWrite implements Write, BatchWrite {
  private final WriteJob job;

  LazyQWrite(WriteJob job) {
    this.job = job;
  }

  @Override
  public String description() {
    return "lazyq " + (job.overwrite() ? "overwrite " : "append ") + job.dir();
  }

  @Override
  public BatchWrite toBatch() {
    return this;
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    return new WriterFactory(job);
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    PartFile[] files = new PartFile[messages.length];
    for (int i = 0; i < messages.length; i++) {
      files[i] = (PartFile) messages[i];
    }
    TableCommit.commit(job, files);
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    PartFile[] files = new PartFile[messages == null ? 0 : messages.length];
    for (int i = 0; i < files.length; i++) {
      files[i] = messages[i] instanceof PartFile f ? f : null;
    }
    TableCommit.abort(job, files);
  }
}
