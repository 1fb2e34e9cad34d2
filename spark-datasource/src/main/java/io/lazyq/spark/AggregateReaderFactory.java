package io.lazyq.spark;

import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads an {@link AggregateBatch.Partition}: adds the terms that statistics could not answer from
 * the partition's decoded batches, in row order, to what statistics gave, and returns the one row;
 * grouped, returns a row per key ({@link AggregateGroups}).
 */
final class AggregateReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  /** Reads the keys' and decoded terms' columns; null when no column is read. */
  private final ReaderFactory columns;
  private final PushedAggregate aggregate;
  /** For each key, its column's position in the batches that {@code columns} reads. */
  private final int[] keySlots;
  private final int[] decodedTerms;
  /** For each decoded term, its column's position in the batches that {@code columns} reads; -1 for {@code COUNT(*)}. */
  private final int[] slots;

  AggregateReaderFactory(ReaderFactory columns, PushedAggregate aggregate, int[] keySlots, int[] decodedTerms,
      int[] slots) {
    this.columns = columns;
    this.aggregate = aggregate;
    this.keySlots = keySlots;
    this.decodedTerms = decodedTerms;
    this.slots = slots;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new Reader((AggregateBatch.Partition) partition);
  }

  /**
   * Hands out the partition's one row, or grouped its groups' rows whenever the groups are full
   * and at the end. The batches are closed once read, and their metrics kept.
   */
  private final class Reader implements PartitionReader<InternalRow> {
    private final AggregateBatch.Partition partition;
    /** Null without grouping. */
    private final AggregateGroups groups;
    /** Null when nothing is decoded, and once read. */
    private PartitionReader<ColumnarBatch> batches;
    private Iterator<InternalRow> rows = Collections.emptyIterator();
    private InternalRow row;
    private boolean exhausted;
    private CustomTaskMetric[] metrics = new CustomTaskMetric[0];

    Reader(AggregateBatch.Partition partition) {
      this.partition = partition;
      this.groups = aggregate.grouped() ? new AggregateGroups(aggregate) : null;
      this.batches = columns != null && partition.group().size() > 0
          ? columns.createColumnarReader(partition.group()) : null;
    }

    @Override
    public boolean next() throws IOException {
      while (!rows.hasNext()) {
        if (exhausted) {
          return false;
        }
        rows = (groups == null ? List.of(total()) : nextGroups()).iterator();
      }
      row = rows.next();
      return true;
    }

    private InternalRow total() throws IOException {
      AggregateState state = partition.fromStats().copy();
      while (nextBatch()) {
        ColumnarBatch batch = batches.get();
        for (int i = 0; i < decodedTerms.length; i++) {
          state.accept(decodedTerms[i], batch.column(slots[i]), batch.numRows());
        }
      }
      return state.row();
    }

    private List<InternalRow> nextGroups() throws IOException {
      while (!groups.full() && nextBatch()) {
        groups.accept(batches.get(), keySlots, decodedTerms, slots);
      }
      return groups.drain();
    }

    /** Moves to the next batch; at the end, keeps the metrics and closes the batches. */
    private boolean nextBatch() throws IOException {
      if (batches != null && batches.next()) {
        return true;
      }
      exhausted = true;
      if (batches != null) {
        metrics = batches.currentMetricsValues();
        PartitionReader<ColumnarBatch> read = batches;
        batches = null;
        read.close();
      }
      return false;
    }

    @Override
    public InternalRow get() {
      return row;
    }

    @Override
    public CustomTaskMetric[] currentMetricsValues() {
      return batches != null ? batches.currentMetricsValues() : metrics;
    }

    @Override
    public void close() throws IOException {
      if (batches != null) {
        batches.close();
      }
    }
  }
}
