package io.lazyq.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads whole tables back through either reader, and compares rows exactly. */
public final class TableReads {
  private TableReads() {}

  public static List<Object[]> readMapped(Path path) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    try (LzqFile file = LzqFile.open(path)) {
      int columns = file.schema().size();
      for (int chunk = 0; chunk < file.index().size(); chunk++) {
        int n = file.index().chunk(chunk).rows();
        Object[][] block = new Object[n][columns];
        for (int c = 0; c < columns; c++) {
          try (ColumnView view = file.column(chunk, c)) {
            for (int r = 0; r < n; r++) {
              block[r][c] = view.getObject(r);
            }
          }
        }
        rows.addAll(Arrays.asList(block));
      }
      assertEquals(file.rowCount(), rows.size(), "row count in the footer");
    }
    return rows;
  }

  public static List<Object[]> readStream(InputStream in, StreamOptions options) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    try (LzqStream s = LzqStream.open(in, "<stream>", options)) {
      int columns = s.schema().size();
      while (s.next()) {
        int n = s.chunk().rows();
        Object[][] block = new Object[n][columns];
        for (int c = 0; c < columns; c++) {
          ColumnView view = s.column(c);
          for (int r = 0; r < n; r++) {
            block[r][c] = view.getObject(r);
          }
        }
        rows.addAll(Arrays.asList(block));
      }
    }
    return rows;
  }

  public static List<Object[]> readStream(Path path) throws Exception {
    try (InputStream in = Files.newInputStream(path)) {
      return readStream(in, StreamOptions.DEFAULTS);
    }
  }

  public static void assertRowsEqual(List<Object[]> expected, List<Object[]> actual) {
    assertEquals(expected.size(), actual.size(), "rows");
    for (int r = 0; r < expected.size(); r++) {
      Object[] e = expected.get(r);
      Object[] a = actual.get(r);
      assertEquals(e.length, a.length, "columns of row " + r);
      for (int c = 0; c < e.length; c++) {
        if (!Arrays.deepEquals(new Object[] {e[c]}, new Object[] {a[c]})) {
          fail("row " + r + " column " + c + ": expected " + show(e[c]) + " but read " + show(a[c]));
        }
      }
    }
  }

  private static String show(Object o) {
    return o == null ? "null" : o.getClass().isArray() ? Arrays.deepToString(new Object[] {o}) : o + " (" + o.getClass().getSimpleName() + ")";
  }

  /** Rethrows for lambdas. */
  static IOException io(Exception e) {
    return e instanceof IOException ? (IOException) e : new IOException(e);
  }
}
