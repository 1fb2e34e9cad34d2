package io.lazyq.spark;

import org.apache.spark.sql.connector.distributions.Distribution;
import org.apache.spark.sql.connector.distributions.Distributions;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.SortDirection;
import org.apache.spark.sql.connector.expressions.SortOrder;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.RequiresDistributionAndOrdering;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * A batch write of part files, one per task, published together by the job's commit
 * ({@link TableCommit}). Spark's commit coordinator lets one attempt per partition commit, and only
 * committed attempts' files reach the job's commit.
 */
final class LazyQWrite implements Write, BatchWrite, RequiresDistributionAndOrdering {
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
    TableCommit.commit(job, PartFile.of(messages));
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    TableCommit.abort(job, PartFile.of(messages));
  }

  /**
   * A partitioned write asks Spark to sort each task's rows by the partition columns, as Spark's
   * file writers do, so that a task writes one file per partition, one at a time, and holds one
   * chunk in memory.
   */
  @Override
  public Distribution requiredDistribution() {
    return Distributions.unspecified();
  }

  @Override
  public SortOrder[] requiredOrdering() {
    return job.partitions().names().stream()
        .map(n -> Expressions.sort(Expressions.column(n), SortDirection.ASCENDING))
        .toArray(SortOrder[]::new);
  }
}
