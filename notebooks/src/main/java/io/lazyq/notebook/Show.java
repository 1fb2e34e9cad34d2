package io.lazyq.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Rich output from notebook cells: charts as PNG images, Spark results as HTML tables. Each call
 * adds one output to the running cell; plain text goes with it for consoles and diffs.
 */
public final class Show {
  /** Rows shown by {@link #table(Dataset)}. */
  public static final int MAX_ROWS = 20;

  private Show() {}

  /** An XChart chart, rendered to PNG at its own size. */
  public static void chart(Chart<?, ?> chart) {
    try {
      png(BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG), chart.getTitle());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PNG bytes as an image output; {@code caption} is its text form. */
  public static void png(byte[] png, String caption) {
    DisplayData data = new DisplayData("[image: " + caption + "]");
    data.putData("image/png", Base64.getEncoder().encodeToString(png));
    BaseKernel.notebookKernel().display(data);
  }

  /** The first {@value #MAX_ROWS} rows of a Spark result, as an HTML table. */
  public static void table(Dataset<Row> rows) {
    table(rows, MAX_ROWS);
  }

  /** The first {@code limit} rows of a Spark result, as an HTML table. */
  public static void table(Dataset<Row> rows, int limit) {
    String[] columns = rows.columns();
    List<Row> head = rows.limit(limit).collectAsList();
    StringBuilder html = new StringBuilder("<table><thead><tr>");
    StringBuilder text = new StringBuilder(String.join(" | ", columns)).append('\n');
    for (String c : columns) {
      html.append("<th>").append(escape(c)).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (Row row : head) {
      html.append("<tr>");
      for (int i = 0; i < columns.length; i++) {
        String cell = format(row.get(i));
        html.append("<td>").append(escape(cell)).append("</td>");
        text.append(i == 0 ? "" : " | ").append(cell);
      }
      html.append("</tr>");
      text.append('\n');
    }
    html.append("</tbody></table>");
    DisplayData data = new DisplayData(text.toString().strip());
    data.putHTML(html.toString());
    BaseKernel.notebookKernel().display(data);
  }

  /** Markdown, for results that read better as prose or a small table. */
  public static void markdown(String markdown) {
    DisplayData data = new DisplayData(markdown);
    data.putMarkdown(markdown);
    BaseKernel.notebookKernel().display(data);
  }

  private static String format(Object value) {
    if (value instanceof Float f) {
      return String.format("%.4f", f);
    }
    if (value instanceof Double d) {
      return String.format("%.4f", d);
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      return seq.size() > 8 ? seq.take(8).mkString("[", ", ", ", …]") : seq.mkString("[", ", ", "]");
    }
    return String.valueOf(value);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
