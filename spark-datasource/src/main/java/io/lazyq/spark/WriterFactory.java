package io.lazyq.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;

/** Sent to the executors: one {@link PartWriter} per task attempt. */
final class WriterFactory implements DataWriterFactory {
  private static final long serialVersionUID = 1L;
  private final WriteJob job;

  WriterFactory(WriteJob job) {
    this.job = job;
  }

  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
    return new PartWriter(job, job.fileSchema(), partitionId, taskId);
  }
}
