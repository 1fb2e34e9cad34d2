package io.lazyq.cli;

import io.lazyq.spark.ScalaCollections;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.collection.Iterable;

/** How the commands print query results. */
enum ResultFormat {
  TABLE, CSV, JSONL;

  void print(StructType schema, List<Row> rows, PrintWriter out) {
    switch (this) {
      case JSONL:
        rows.forEach(r -> out.println(r.json()));
        break;
      case CSV:
        out.println(String.join(",", csv(List.of(schema.fieldNames()))));
        for (Row r : rows) {
          out.println(String.join(",", csv(cells(r))));
        }
        break;
      default:
        table(schema, rows, out);
    }
    out.flush();
  }

  static ResultFormat parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  private static void table(StructType schema, List<Row> rows, PrintWriter out) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of(schema.fieldNames()));
    rows.forEach(r -> lines.add(cells(r)));
    int[] width = new int[schema.size()];
    for (List<String> line : lines) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    out.println(rule);
    for (int l = 0; l < lines.size(); l++) {
      StringBuilder b = new StringBuilder("|");
      for (int i = 0; i < width.length; i++) {
        String cell = lines.get(l).get(i);
        b.append(' ').append(" ".repeat(width[i] - cell.length())).append(cell).append(" |");
      }
      out.println(b);
      if (l == 0) {
        out.println(rule);
      }
    }
    out.println(rule);
    out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
  }

  private static List<String> cells(Row r) {
    List<String> cells = new ArrayList<>(r.length());
    for (int i = 0; i < r.length(); i++) {
      cells.add(text(r.get(i)));
    }
    return cells;
  }

  private static String text(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Iterable) {
      List<String> parts = new ArrayList<>();
      for (Object o : ScalaCollections.iterable((Iterable<?>) v)) {
        parts.add(text(o));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    if (v instanceof byte[]) {
      return "<" + ((byte[]) v).length + " bytes>";
    }
    return v.toString();
  }

  private static List<String> csv(List<String> cells) {
    List<String> quoted = new ArrayList<>(cells.size());
    for (String c : cells) {
      boolean quote = c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0;
      quoted.add(quote ? '"' + c.replace("\"", "\"\"") + '"' : c);
    }
    return quoted;
  }
}
