package io.lazyq.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses, for one chunk being written, the columns to store as {@link Derivation}s of others, by
 * sampling as BtrBlocks chooses its schemes: each candidate rule is replayed over a sample of the
 * chunk's rows (8 windows of 2,048 spread over it), the cheapest per column is encoded whole, and it
 * is kept where it saves {@link LosslessStage#MIN_SAVING} of what the column's own encoding stores.
 * No column is both derived and a source.
 *
 * <p>Candidates per column: a lookup from each other float32 or utf8 column, from pairs among the
 * four best of those, and from the best pair with each other column; a running sum of each float32
 * column. On PM2.5/weather (docs/BENCHMARKS.md) it finds humidity as a lookup from city, dew point
 * and temperature, and the cumulated precipitation as the running sum of the hourly one.
 */
final class DerivedColumns {
  private static final int WINDOWS = 8;
  private static final int WINDOW_ROWS = 2048;
  /** Explicit values a sampled row above which a candidate is not worth encoding whole. */
  private static final double MAX_EXPLICIT_SHARE = 0.4;

  private final Schema schema;
  private final ColumnBuilder.EncodedColumn[] columns;
  private final int rows;
  private final int[][] keys;
  private final int[] sample;

  private DerivedColumns(Schema schema, ColumnBuilder.EncodedColumn[] columns, int rows) {
    this.schema = schema;
    this.columns = columns;
    this.rows = rows;
    this.keys = new int[columns.length][];
    this.sample = sampleRows(rows);
  }

  /**
   * The derived encodings worth storing, by column: {@code storedBytes[c]} is what column
   * {@code c}'s own encoding stores.
   */
  static Map<Integer, Derivation.Encoded> choose(Schema schema, ColumnBuilder.EncodedColumn[] columns,
      long[] storedBytes, int rows) {
    boolean any = false;
    for (int c = 0; c < columns.length; c++) {
      any |= Derivation.writerDerives(schema.field(c));
    }
    if (!any || rows < 2 * WINDOW_ROWS) {
      return Map.of();
    }
    return new DerivedColumns(schema, columns, rows).choose(storedBytes);
  }

  private record Choice(int target, Derivation.Encoded encoded, long saving) {}

  private Map<Integer, Derivation.Encoded> choose(long[] storedBytes) {
    List<Choice> choices = new ArrayList<>();
    for (int t = 0; t < columns.length; t++) {
      Field f = schema.field(t);
      if (!Derivation.writerDerives(f)) {
        continue;
      }
      Derivation best = best(t);
      if (best == null) {
        continue;
      }
      double bound = f.encoding().isQuantized() ? f.encoding().errorBound() : 0;
      Derivation.Encoded e = best.encode(sourceKeys(best.sources()), targetBits(t), rows, bound);
      ByteBuffer validity = columns[t].validity();
      long bytes = e.values().remaining()
          + (validity != null && validity.hasRemaining() ? LosslessStage.compress(validity).remaining() : 0);
      if (bytes <= storedBytes[t] * (1 - LosslessStage.MIN_SAVING)) {
        choices.add(new Choice(t, e, storedBytes[t] - bytes));
      }
    }
    choices.sort(Comparator.comparingLong(Choice::saving).reversed());
    Map<Integer, Derivation.Encoded> kept = new HashMap<>();
    boolean[] source = new boolean[columns.length];
    for (Choice c : choices) {
      int[] s = c.encoded().derivation().sources();
      boolean free = !source[c.target()];
      for (int x : s) {
        free &= !kept.containsKey(x);
      }
      if (free) {
        kept.put(c.target(), c.encoded());
        for (int x : s) {
          source[x] = true;
        }
      }
    }
    return kept;
  }

  /** The candidate with the fewest explicit values on the sample, or {@code null} if none is cheap. */
  private Derivation best(int target) {
    int[] t = targetBits(target);
    List<int[]> singles = new ArrayList<>();
    Derivation best = null;
    long bestCost = (long) (MAX_EXPLICIT_SHARE * sample.length);
    for (int s = 0; s < columns.length; s++) {
      if (s == target || !Derivation.canSource(schema.field(s))) {
        continue;
      }
      long cost = lookupCost(new int[] {s}, t);
      singles.add(new int[] {s, (int) cost});
      if (cost < bestCost) {
        bestCost = cost;
        best = new Derivation(Derivation.Rule.LOOKUP, new int[] {s});
      }
      if (schema.field(s).type().kind() == ColumnType.Kind.FLOAT32) {
        long sum = runningSumCost(s, t);
        if (sum < bestCost) {
          bestCost = sum;
          best = new Derivation(Derivation.Rule.RUNNING_SUM, new int[] {s});
        }
      }
    }
    singles.sort(Comparator.comparingInt(a -> a[1]));
    int top = Math.min(4, singles.size());
    int[] bestPair = null;
    long bestPairCost = Long.MAX_VALUE;
    for (int i = 0; i < top; i++) {
      for (int j = i + 1; j < top; j++) {
        int[] pair = {singles.get(i)[0], singles.get(j)[0]};
        long cost = lookupCost(pair, t);
        if (cost < bestPairCost) {
          bestPairCost = cost;
          bestPair = pair;
        }
      }
    }
    if (bestPair != null && bestPairCost < bestCost) {
      bestCost = bestPairCost;
      best = new Derivation(Derivation.Rule.LOOKUP, bestPair);
    }
    if (bestPair != null) {
      for (int[] single : singles) {
        int s = single[0];
        if (s == bestPair[0] || s == bestPair[1]) {
          continue;
        }
        int[] triple = {bestPair[0], bestPair[1], s};
        long cost = lookupCost(triple, t);
        if (cost < bestCost) {
          bestCost = cost;
          best = new Derivation(Derivation.Rule.LOOKUP, triple);
        }
      }
    }
    return best;
  }

  /** Explicit values of a lookup over the sample, a mismatch counting twice (its row is listed too). */
  private long lookupCost(int[] sources, int[] target) {
    int[][] k = sourceKeys(sources);
    int[][] sampled = new int[k.length][sample.length];
    for (int j = 0; j < k.length; j++) {
      for (int i = 0; i < sample.length; i++) {
        sampled[j][i] = k[j][sample[i]];
      }
    }
    int[] t = new int[sample.length];
    for (int i = 0; i < sample.length; i++) {
      t[i] = target[sample[i]];
    }
    return new Derivation(Derivation.Rule.LOOKUP, sources).explicitCost(sampled, t, sample.length);
  }

  /** Mismatches of a running sum over the sample, twice each, each window starting from the row before it. */
  private long runningSumCost(int source, int[] target) {
    int[] s = sourceKeys(new int[] {source})[0];
    long cost = 0;
    for (int r : sample) {
      float previous = r == 0 ? 0f : Float.intBitsToFloat(target[r - 1]);
      float x = Float.intBitsToFloat(s[r]);
      float predicted = x == 0f ? 0f : previous + x;
      if (Float.floatToRawIntBits(predicted) != target[r]) {
        cost += 2;
      }
    }
    return cost;
  }

  private static int[] sampleRows(int rows) {
    if (rows <= WINDOWS * WINDOW_ROWS) {
      int[] all = new int[rows];
      for (int i = 0; i < rows; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] out = new int[WINDOWS * WINDOW_ROWS];
    for (int w = 0; w < WINDOWS; w++) {
      int start = (int) ((long) w * (rows - WINDOW_ROWS) / (WINDOWS - 1));
      for (int i = 0; i < WINDOW_ROWS; i++) {
        out[w * WINDOW_ROWS + i] = start + i;
      }
    }
    return out;
  }

  private int[][] sourceKeys(int[] sources) {
    int[][] out = new int[sources.length][];
    for (int i = 0; i < sources.length; i++) {
      out[i] = keys(sources[i]);
    }
    return out;
  }

  /** The target's values as written, as float32 bits. */
  private int[] targetBits(int column) {
    int[] bits = new int[rows];
    columns[column].plain().duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(bits, 0, rows);
    return bits;
  }

  /**
   * A source's key ints as a reader will see its values: float32 bits (a quantized column's decoded
   * values), or a string's ordinal of first appearance, -1 for null ({@link Derivation}).
   */
  private int[] keys(int column) {
    if (keys[column] != null) {
      return keys[column];
    }
    ColumnBuilder.EncodedColumn c = columns[column];
    int[] out = new int[rows];
    if (schema.field(column).type().kind() == ColumnType.Kind.FLOAT32) {
      if (c.decoded() != null) {
        for (int i = 0; i < rows; i++) {
          out[i] = Float.floatToRawIntBits(c.decoded()[i]);
        }
      } else {
        c.plain().duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out, 0, rows);
      }
    } else {
      ByteBuffer validity = c.validity();
      ByteBuffer offsets = c.offsets().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer bytes = c.plain().duplicate();
      Derivation.Ordinals ordinals = new Derivation.Ordinals();
      for (int i = 0; i < rows; i++) {
        if (validity != null && (validity.get(i >>> 3) & (1 << (i & 7))) == 0) {
          out[i] = -1;
          continue;
        }
        out[i] = ordinals.of(bytes, offsets.getInt(4 * i), offsets.getInt(4 * i + 4));
      }
    }
    keys[column] = out;
    return out;
  }
}
