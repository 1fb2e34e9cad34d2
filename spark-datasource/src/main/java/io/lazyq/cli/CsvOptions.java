package io.lazyq.cli;

import io.lazyq.format.Schema;
import java.util.Map;
import java.util.Set;

/**
 * How to read a CSV file.
 *
 * @param schema the column types, or null to infer them in a first pass over the file
 * @param inferRows how many rows that pass reads, {@link Long#MAX_VALUE} for all
 * @param epochColumns columns of integer epoch times to import as timestamps, with their units
 * @param spelling what is null, and so how cells are read
 * @param float32 whether inferred float64 columns are narrowed to float32
 */
record CsvOptions(Schema schema, long inferRows, Map<String, EpochUnit> epochColumns, CsvSpelling spelling,
    boolean float32) {

  /** Inference over the whole file; empty cells are null. */
  static final CsvOptions DEFAULTS = new CsvOptions(null, Long.MAX_VALUE, Map.of(), new CsvSpelling(Set.of()), false);

  CsvOptions {
    if (inferRows < 1) {
      throw new IllegalArgumentException("--infer-rows must be at least 1, not " + inferRows);
    }
    epochColumns = Map.copyOf(epochColumns);
  }

  /** The passes over the file: one to infer the schema where none is given, and one to import. */
  int passes() {
    return schema == null ? 2 : 1;
  }
}
