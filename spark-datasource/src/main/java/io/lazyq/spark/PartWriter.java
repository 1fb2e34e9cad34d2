package io.lazyq.spark;

import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.table.FileStats;
import java.io.IOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;

/**
 * Writes one task's rows into one part file in the job's staging directory, streaming: memory
 * holds at most one chunk. The file is created at the first row (an empty task writes nothing),
 * under a hidden temporary name until {@link #commit()}; an aborted or failed attempt leaves
 * nothing behind.
 */
final class PartWriter implements DataWriter<InternalRow> {
  private final WriteJob job;
  private final Schema schema;
  private final RowWriter rows;
  private final String name;
  private LzqWriter writer;
  private boolean done;

  PartWriter(WriteJob job, Schema schema, int partitionId, long taskId) {
    this.job = job;
    this.schema = schema;
    this.rows = new RowWriter(job.sparkSchema());
    this.name = job.partName(partitionId, taskId);
  }

  @Override
  public void write(InternalRow row) throws IOException {
    if (writer == null) {
      writer = LzqWriter.create(job.storage().output(job.partLocation(name)), schema, job.conf().writerOptions());
    }
    rows.write(writer, row);
  }

  @Override
  public PartFile commit() throws IOException {
    done = true;
    if (writer == null) {
      return new PartFile(null, 0, 0);
    }
    writer.commit();
    return new PartFile(name, writer.rowCount(), writer.bytesWritten(), FileStats.of(schema, writer.chunks()));
  }

  @Override
  public void abort() throws IOException {
    done = true;
    if (writer != null) {
      writer.close();
    }
  }

  /** Spark calls this after commit or abort, and alone when the task was interrupted. */
  @Override
  public void close() throws IOException {
    if (!done) {
      abort();
    }
  }
}
