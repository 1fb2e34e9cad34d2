package io.lazyq.spark;

import java.io.IOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads an {@link AggregateBatch.Partition}: adds the terms that statistics could not answer from
 * the partition's decoded batches, in row order, to what statistics gave, and returns the one row.
 */
final class AggregateReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  /** Reads the decoded terms' columns; null when no term is decoded. */
  private final ReaderFactory columns;
  private final int[] decodedTerms;
  /** For each decoded term, its column's position in the batches that {@code columns} reads. */
  private final int[] slots;

  AggregateReaderFactory(ReaderFactory columns, int[] decodedTerms, int[] slots) {
    this.columns = columns;
    this.decodedTerms = decodedTerms;
    this.slots = slots;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new Reader((AggregateBatch.Partition) partition);
  }

  private final class Reader implements PartitionReader<InternalRow> {
    private final AggregateBatch.Partition partition;
    private InternalRow row;
    private boolean done;
    private CustomTaskMetric[] metrics = new CustomTaskMetric[0];

    Reader(AggregateBatch.Partition partition) {
      this.partition = partition;
    }

    @Override
    public boolean next() throws IOException {
      if (done) {
        return false;
      }
      done = true;
      AggregateState state = partition.fromStats().copy();
      if (columns != null && partition.group().size() > 0) {
        try (PartitionReader<ColumnarBatch> batches = columns.createColumnarReader(partition.group())) {
          while (batches.next()) {
            ColumnarBatch batch = batches.get();
            for (int i = 0; i < decodedTerms.length; i++) {
              state.accept(decodedTerms[i], batch.column(slots[i]), batch.numRows());
            }
          }
          metrics = batches.currentMetricsValues();
        }
      }
      row = state.row();
      return true;
    }

    @Override
    public InternalRow get() {
      return row;
    }

    @Override
    public CustomTaskMetric[] currentMetricsValues() {
      return metrics;
    }

    @Override
    public void close() {}
  }
}
