package io.lazyq.spark;

import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ColumnStats;
import io.lazyq.format.Schema;
import io.lazyq.spark.PushedAggregate.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/**
 * The input partitions of an {@link AggregateScan}: the planned chunk groups, each with what
 * chunk statistics answer exactly already added on the driver. A term is read from the decoded
 * values in every group when some chunk's statistics do not give it exactly: every sum, and a
 * minimum or maximum where {@link AggregateState#extremeInStats} says so. Counts never read.
 * Grouped, statistics answer nothing (they hold no key): every term is read, with the keys.
 */
final class AggregateBatch implements Batch {
  /** A chunk group and the partial values that statistics gave for it. */
  record Partition(ChunkGroup group, AggregateState fromStats) implements InputPartition {}

  private final ScanPlan plan;
  private final PushedAggregate aggregate;
  private final LazyQReadConf conf;
  private final Schema schema;
  private final PartitionColumns partitions;
  /** The planned files by location, for their chunks' statistics. */
  private final Map<String, DataFile> files = new HashMap<>();
  /** Per term, whether the tasks read it from decoded values. */
  private final boolean[] decoded;

  AggregateBatch(ScanPlan plan, PushedAggregate aggregate, LazyQReadConf conf, Schema schema,
      PartitionColumns partitions) {
    this.plan = plan;
    this.aggregate = aggregate;
    this.conf = conf;
    this.schema = schema;
    this.partitions = partitions;
    for (DataFile f : plan.files()) {
      files.put(f.location(), f);
    }
    List<Term> terms = aggregate.terms();
    decoded = new boolean[terms.size()];
    for (int t = 0; t < decoded.length; t++) {
      Term term = terms.get(t);
      decoded[t] = aggregate.grouped() || switch (term.function()) {
        case COUNT_STAR, COUNT -> false;
        case SUM -> true;
        case MIN, MAX -> !plan.groups().stream().allMatch(g -> IntStream.range(0, g.size()).allMatch(
            c -> AggregateState.extremeInStats(term, stats(g, c, term), g.rows()[c])));
      };
    }
  }

  @Override
  public InputPartition[] planInputPartitions() {
    List<ChunkGroup> groups = plan.groups();
    if (groups.isEmpty() && aggregate.grouped()) {
      return new InputPartition[0];
    }
    if (groups.isEmpty()) {
      // One row still: Spark merges a count of no row from it as 0, not as null.
      return new InputPartition[] {new Partition(new ChunkGroup(new String[0], new int[0], new int[0], new int[0]),
          new AggregateState(aggregate))};
    }
    List<Term> terms = aggregate.terms();
    InputPartition[] partitions = new InputPartition[groups.size()];
    for (int g = 0; g < partitions.length; g++) {
      ChunkGroup group = groups.get(g);
      AggregateState state = new AggregateState(aggregate);
      for (int c = 0; c < group.size(); c++) {
        for (int t = 0; t < decoded.length; t++) {
          if (decoded[t]) {
            continue;
          }
          Term term = terms.get(t);
          switch (term.function()) {
            case COUNT_STAR -> state.count(t, group.rows()[c]);
            case COUNT -> state.count(t, group.rows()[c] - stats(group, c, term).nullCount());
            default -> state.extremeFromStats(t, stats(group, c, term), group.rows()[c]);
          }
        }
      }
      partitions[g] = new Partition(group, state);
    }
    return partitions;
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    List<Term> terms = aggregate.terms();
    List<Integer> columns = new ArrayList<>();
    int[] decodedTerms = IntStream.range(0, decoded.length).filter(t -> decoded[t]).toArray();
    for (PushedAggregate.Key k : aggregate.keys()) {
      if (!k.partition()) {
        slot(columns, k.column());
      }
    }
    int[] slots = new int[decodedTerms.length];
    for (int i = 0; i < decodedTerms.length; i++) {
      int column = terms.get(decodedTerms[i]).column();
      slots[i] = column < 0 ? -1 : slot(columns, column); // -1: COUNT(*), which a grouped aggregate reads
    }
    // a batch holds the data columns, then the selected partition columns' constants
    int[] selected = aggregate.partitionColumns();
    List<PushedAggregate.Key> keys = aggregate.keys();
    int[] keySlots = new int[keys.size()];
    for (int k = 0; k < keySlots.length; k++) {
      PushedAggregate.Key key = keys.get(k);
      keySlots[k] = key.partition() ? columns.size() + indexOf(selected, key.column()) : columns.indexOf(key.column());
    }
    ReaderFactory read = columns.isEmpty() && selected.length == 0 ? null
        : new ReaderFactory(conf, StorageConf.broadcast(conf.storageConf()), schema,
            columns.stream().mapToInt(Integer::intValue).toArray(), false)
            .withPartitions(selected.length == 0 ? null : new PartitionConstants(partitions, selected));
    return new AggregateReaderFactory(read, aggregate, keySlots, decodedTerms, slots);
  }

  private static int indexOf(int[] values, int value) {
    int i = 0;
    while (values[i] != value) {
      i++;
    }
    return i;
  }

  /** The column's position among those read, added if new. */
  private static int slot(List<Integer> columns, int column) {
    if (!columns.contains(column)) {
      columns.add(column);
    }
    return columns.indexOf(column);
  }

  /** The statistics of the term's column in chunk {@code c} of the group. */
  private ColumnStats stats(ChunkGroup group, int c, Term term) {
    DataFile file = files.get(group.files()[group.fileOf()[c]]);
    ChunkDescriptor chunk = file.metadata().index().chunks().get(group.chunks()[c]);
    return chunk.column(term.column()).stats();
  }
}
