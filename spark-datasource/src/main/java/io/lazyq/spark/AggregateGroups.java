package io.lazyq.spark;

import io.lazyq.format.ColumnType;
import io.lazyq.spark.PushedAggregate.Key;
import io.lazyq.spark.PushedAggregate.Term;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The partial values of a grouped {@link PushedAggregate} over one input partition: an
 * {@link AggregateState} per distinct key, each adding its rows' values in row order, as Spark's
 * partial hash aggregate adds them per key. Rows with null in a key column group together, as in
 * Spark.
 *
 * <p>A string key in a dictionary-encoded chunk is looked up once per dictionary entry rather than
 * per row: each row then finds its group through its dictionary id. Keys that are all partition
 * columns are looked up once per batch (a batch lies in one file). Other keys are looked up per
 * row, strings copied out of the batch.
 *
 * <p>At most {@link #MAX_GROUPS} groups are held: past that the reader hands out the groups'
 * rows and starts again, so that a key of many distinct values costs bounded memory. Spark's merge
 * then adds a key's two partials from the same partition, as its own partial aggregate does when
 * it spills.
 */
final class AggregateGroups {
  /** Groups held before their rows are handed out (about 100 bytes each, plus their keys). */
  static final int MAX_GROUPS = 1 << 16;

  private final PushedAggregate aggregate;
  private final List<Term> terms;
  private final List<Key> keys;
  /** Key (a single key's value, or a list of several) to its group, in the order keys first appeared. */
  private final Map<Object, AggregateState> groups = new LinkedHashMap<>();
  /** Each row's group in the current batch. */
  private AggregateState[] rowGroups = new AggregateState[0];
  /** The dictionary whose entries {@link #entryGroups} maps, identity compared; an entry's group is found on its first row. */
  private UTF8String[] dictionary;
  private AggregateState[] entryGroups;

  AggregateGroups(PushedAggregate aggregate) {
    this.aggregate = aggregate;
    this.terms = aggregate.terms();
    this.keys = aggregate.keys();
  }

  /**
   * Adds a batch's rows.
   *
   * @param keySlots each key's column in the batch
   * @param decodedTerms the terms read, every term of a grouped aggregate
   * @param slots each decoded term's column in the batch, or -1 for {@code COUNT(*)}
   */
  void accept(ColumnarBatch batch, int[] keySlots, int[] decodedTerms, int[] slots) {
    int rows = batch.numRows();
    if (rowGroups.length < rows) {
      rowGroups = new AggregateState[rows];
    }
    group(batch, keySlots, rows);
    for (int i = 0; i < decodedTerms.length; i++) {
      int t = decodedTerms[i];
      add(t, slots[i] < 0 ? null : batch.column(slots[i]), rows);
    }
  }

  /** Whether the groups should be handed out before more rows are added. */
  boolean full() {
    return groups.size() >= MAX_GROUPS;
  }

  /** The groups' rows, keys first, in the order their keys first appeared; the groups are then empty. */
  List<InternalRow> drain() {
    List<InternalRow> out = new ArrayList<>(groups.size());
    for (Map.Entry<Object, AggregateState> group : groups.entrySet()) {
      Object key = group.getKey();
      Object[] values = group.getValue().values(keys.size());
      if (keys.size() == 1) {
        values[0] = key;
      } else {
        List<?> parts = (List<?>) key;
        for (int k = 0; k < parts.size(); k++) {
          values[k] = parts.get(k);
        }
      }
      out.add(new GenericInternalRow(values));
    }
    groups.clear();
    dictionary = null;
    entryGroups = null;
    return out;
  }

  private void group(ColumnarBatch batch, int[] keySlots, int rows) {
    if (keySlots.length == 1 && batch.column(keySlots[0]) instanceof ArrowPlainVector v && v.dictionary() != null) {
      UTF8String[] strings = v.dictionary();
      if (strings != dictionary) {
        entryGroups = new AggregateState[strings.length];
        dictionary = strings;
      }
      boolean nulls = v.hasNull();
      for (int r = 0; r < rows; r++) {
        if (nulls && v.isNullAt(r)) {
          rowGroups[r] = state(null);
          continue;
        }
        int id = v.dictionaryId(r);
        AggregateState s = entryGroups[id];
        if (s == null) {
          s = entryGroups[id] = state(strings[id]);
        }
        rowGroups[r] = s;
      }
      return;
    }
    boolean constant = true;
    for (int slot : keySlots) {
      constant &= batch.column(slot) instanceof ConstantColumnVector;
    }
    // Keys that are all partition columns hold one value for the whole batch: one lookup.
    for (int r = 0; r < rows; r++) {
      if (constant && r > 0) {
        rowGroups[r] = rowGroups[0];
        continue;
      }
      Object key;
      if (keySlots.length == 1) {
        key = value(keys.get(0), batch.column(keySlots[0]), r);
      } else {
        Object[] parts = new Object[keySlots.length];
        for (int k = 0; k < parts.length; k++) {
          parts[k] = value(keys.get(k), batch.column(keySlots[k]), r);
        }
        key = Arrays.asList(parts);
      }
      rowGroups[r] = state(key);
    }
  }

  /** Row {@code r}'s key value as an {@link InternalRow} holds it; strings copied, since the batch's bytes move on. */
  private static Object value(Key key, ColumnVector v, int r) {
    if (v.isNullAt(r)) {
      return null;
    }
    DataType t = key.type();
    if (t.equals(DataTypes.StringType)) {
      return v.getUTF8String(r).copy();
    } else if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.DateType)) {
      return v.getInt(r);
    } else if (t.equals(DataTypes.LongType) || t.equals(DataTypes.TimestampType)) {
      return v.getLong(r);
    } else if (t.equals(DataTypes.BooleanType)) {
      return v.getBoolean(r);
    }
    throw new IllegalStateException("not a key: " + t);
  }

  private AggregateState state(Object key) {
    return groups.computeIfAbsent(key, k -> new AggregateState(aggregate));
  }

  /** Adds term {@code t} of rows {@code [0, rows)} to each row's group, in row order. */
  private void add(int t, ColumnVector v, int rows) {
    AggregateState[] g = rowGroups;
    Term term = terms.get(t);
    if (term.function() == PushedAggregate.Function.COUNT_STAR) {
      for (int r = 0; r < rows; r++) {
        g[r].count(t, 1);
      }
      return;
    }
    boolean nulls = v.hasNull();
    if (term.function() == PushedAggregate.Function.COUNT) {
      for (int r = 0; r < rows; r++) {
        if (!nulls || !v.isNullAt(r)) {
          g[r].count(t, 1);
        }
      }
      return;
    }
    if (term.kind() == ColumnType.Kind.FLOAT32 && !nulls && v instanceof DequantizedVector d) {
      float[] values = d.values();
      int offset = d.valuesOffset();
      for (int r = 0; r < rows; r++) {
        g[r].accept(t, (double) values[offset + r]);
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      if (!nulls || !v.isNullAt(r)) {
        g[r].acceptValue(t, v, r);
      }
    }
  }
}
