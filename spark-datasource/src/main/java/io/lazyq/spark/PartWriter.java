package io.lazyq.spark;

import io.lazyq.format.LzqWriter;
import io.lazyq.format.Schema;
import io.lazyq.table.FileStats;
import io.lazyq.table.PartitionPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.types.DataType;

/**
 * Writes one task's rows into part files in the job's staging directory, streaming: memory
 * holds at most one chunk. A file is created at its first row (an empty task writes nothing),
 * under a hidden temporary name until {@link #commit()}; an aborted or failed attempt leaves
 * nothing behind. For a partitioned table the rows arrive sorted by the partition columns
 * ({@link LazyQWrite#requiredOrdering()}): each change of partition values closes the file and
 * starts the next in its partition directory, so one file is open at a time.
 */
final class PartWriter implements DataWriter<InternalRow> {
  private final WriteJob job;
  private final Schema schema;
  private final RowWriter rows;
  private final int partitionId;
  private final long taskId;
  private final int[] partitionOrdinals;
  private final DataType[] partitionTypes;
  private final List<PartFile> written = new ArrayList<>();
  private Object[] current;
  private String name;
  private Map<String, String> values = Map.of();
  private LzqWriter writer;
  private boolean done;

  PartWriter(WriteJob job, Schema schema, int partitionId, long taskId) {
    this.job = job;
    this.schema = schema;
    this.rows = new RowWriter(job.sparkSchema(), job.dataSchema());
    this.partitionId = partitionId;
    this.taskId = taskId;
    List<String> names = job.partitions().names();
    this.partitionOrdinals = names.stream().mapToInt(n -> job.sparkSchema().fieldIndex(n)).toArray();
    this.partitionTypes = names.stream().map(n -> job.partitions().schema().apply(n).dataType())
        .toArray(DataType[]::new);
  }

  @Override
  public void write(InternalRow row) throws IOException {
    if (partitionOrdinals.length > 0) {
      Object[] key = new Object[partitionOrdinals.length];
      for (int i = 0; i < key.length; i++) {
        key[i] = row.isNullAt(partitionOrdinals[i]) ? null : row.get(partitionOrdinals[i], partitionTypes[i]);
      }
      if (current == null || !Arrays.equals(key, current)) {
        finishFile();
        startPartition(key);
      }
    }
    if (writer == null) {
      name = values.isEmpty() ? job.partName(partitionId, taskId)
          : PartitionPaths.directory(job.partitions().names(), values) + job.partName(partitionId, taskId,
              written.size());
      writer = LzqWriter.create(job.storage().output(job.partLocation(name)), schema, job.conf().writerOptions());
    }
    rows.write(writer, row);
  }

  /** The values of the partition that the next rows belong to, as strings. */
  private void startPartition(Object[] key) {
    current = key.clone();
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 0; i < key.length; i++) {
      v.put(job.partitions().names().get(i), job.partitions().format(i, key[i]));
    }
    values = v;
  }

  /** Commits the open file, if any, to be published with the task's others. */
  private void finishFile() throws IOException {
    if (writer != null) {
      writer.commit();
      written.add(new PartFile(name, writer.rowCount(), writer.bytesWritten(), values,
          FileStats.of(schema, writer.chunks())));
      writer.close();
      writer = null;
    }
  }

  @Override
  public PartFile.Task commit() throws IOException {
    done = true;
    finishFile();
    return new PartFile.Task(written.toArray(new PartFile[0]));
  }

  @Override
  public void abort() throws IOException {
    done = true;
    if (writer != null) {
      writer.close();
    }
    for (PartFile f : written) {
      job.storage().delete(job.partLocation(f.name()), false);
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
