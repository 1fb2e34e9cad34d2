package io.lazyq.cli;

import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.format.Schema;
import io.lazyq.format.StreamOptions;
import io.lazyq.storage.LocalInputFile;
import io.lazyq.storage.Storage;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lazyq cat}: streams rows as text. A file is read through mappings of the selected columns
 * only; {@code -} reads a sequential stream from standard input. Both print the same bytes.
 */
@Command(name = "cat", mixinStandardHelpOptions = true,
    description = "Print rows as CSV or JSON lines. FILE '-' reads a LazyQ stream from standard input.")
public final class CatCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE|-", description = "A .lzq file (a path or a URI such as s3a://bucket/f.lzq), or - for standard input.")
  String input;

  @Option(names = "--columns", split = ",", paramLabel = "a,b", description = "Columns to print, in this order (default: all).")
  List<String> columns;

  @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows.")
  long limit = Long.MAX_VALUE;

  @Option(names = "--format", paramLabel = "csv|jsonl", description = "Output format: ${COMPLETION-CANDIDATES} (default: csv).")
  String format = "csv";

  @Option(names = "--tail", description = "With -, stop quietly after the last complete chunk of a truncated stream.")
  boolean tail;

  @Mixin StorageOptions storage = new StorageOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Writer out = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
    try (RowFormat rows = RowFormat.of(format, out)) {
      if (input.equals("-")) {
        catStream(rows);
      } else {
        catFile(rows);
      }
    }
    out.flush();
    return LazyQ.OK;
  }

  private void catFile(RowFormat rows) throws Exception {
    try (LzqFile file = LzqFile.open(Storage.isLocal(input) ? new LocalInputFile(Path.of(input))
        : storage.storage().input(input), true)) {
      int[] selected = select(file.schema());
      List<Field> fields = fields(file.schema(), selected);
      rows.header(fields);
      long printed = 0;
      for (int chunk = 0; chunk < file.index().size() && printed < limit; chunk++) {
        ColumnView[] views = file.columns(chunk, selected);
        try {
          printed += print(rows, fields, views, file.index().chunk(chunk).rows(), limit - printed);
        } finally {
          for (ColumnView v : views) {
            if (v != null) {
              v.close();
            }
          }
        }
      }
    }
  }

  private void catStream(RowFormat rows) throws Exception {
    try (LzqStream stream = LzqStream.open(new BufferedInputStream(System.in, 1 << 16), "<stdin>",
        StreamOptions.DEFAULTS.withTail(tail))) {
      int[] selected = select(stream.schema());
      List<Field> fields = fields(stream.schema(), selected);
      rows.header(fields);
      long printed = 0;
      while (printed < limit && stream.next()) {
        ColumnView[] views = new ColumnView[selected.length];
        for (int i = 0; i < selected.length; i++) {
          views[i] = stream.column(selected[i]);
        }
        printed += print(rows, fields, views, stream.chunk().rows(), limit - printed);
      }
    }
  }

  private static long print(RowFormat rows, List<Field> fields, ColumnView[] views, int count, long max) throws Exception {
    int n = (int) Math.min(count, max);
    Object[] values = new Object[views.length];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < views.length; c++) {
        values[c] = views[c].getObject(r);
      }
      rows.row(fields, values);
    }
    return n;
  }

  private int[] select(Schema schema) {
    if (columns == null || columns.isEmpty()) {
      int[] all = new int[schema.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] out = new int[columns.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = schema.indexOf(columns.get(i));
      if (out[i] < 0) {
        throw new IllegalArgumentException("no column '" + columns.get(i) + "'; columns: "
            + schema.fields().stream().map(Field::name).toList());
      }
    }
    return out;
  }

  private static List<Field> fields(Schema schema, int[] selected) {
    List<Field> fields = new ArrayList<>();
    for (int i : selected) {
      fields.add(schema.field(i));
    }
    return fields;
  }
}
