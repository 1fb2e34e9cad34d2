package io.lazyq.table;

import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ColumnStats;
import io.lazyq.format.Field;
import io.lazyq.format.Schema;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file's column statistics as its {@code add} records them, by column name: the null count, and
 * the min and max where the chunks give them, so that a planner can rule out a whole file from the
 * log alone, without opening its footer. A column without an entry may hold anything.
 *
 * @param columns each column's statistics over the whole file, as {@link ColumnStats} defines them
 */
public record FileStats(Map<String, ColumnStats> columns) implements Serializable {
  /** No statistics: every file may match. */
  public static final FileStats NONE = new FileStats(Map.of());

  public FileStats {
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /**
   * The file's statistics from its chunks': null counts add up; min and max are the least and
   * greatest of the chunks' where every chunk with values records them (a NaN max, "unbounded
   * above", stays NaN). Only columns whose every chunk has statistics get an entry.
   */
  public static FileStats of(Schema schema, List<ChunkDescriptor> chunks) {
    Map<String, ColumnStats> columns = new LinkedHashMap<>();
    List<Field> fields = schema.fields();
    for (int c = 0; c < fields.size(); c++) {
      long nulls = 0;
      Number min = null;
      Number max = null;
      boolean complete = true;
      boolean bounded = true;
      for (ChunkDescriptor chunk : chunks) {
        ColumnStats s = chunk.column(c).stats();
        if (s == null) {
          complete = false;
          break;
        }
        nulls += s.nullCount();
        if (s.hasMinMax()) {
          min = min == null || compare(s.min(), min) < 0 ? s.min() : min;
          max = keepMax(max, s.max());
        } else if (s.nullCount() < chunk.rows()) {
          bounded = false; // values without a range: nothing is known of them
        }
      }
      if (complete) {
        columns.put(fields.get(c).name(), bounded ? new ColumnStats(nulls, min, max) : ColumnStats.nullsOnly(nulls));
      }
    }
    return new FileStats(columns);
  }

  private static Number keepMax(Number current, Number candidate) {
    if (current == null) {
      return candidate;
    }
    if (isNaN(current) || isNaN(candidate)) {
      return Double.NaN;
    }
    return compare(candidate, current) > 0 ? candidate : current;
  }

  private static boolean isNaN(Number n) {
    return n instanceof Double d && d.isNaN();
  }

  private static int compare(Number a, Number b) {
    return a instanceof Long x && b instanceof Long y ? Long.compare(x, y) : Double.compare(a.doubleValue(), b.doubleValue());
  }
}
