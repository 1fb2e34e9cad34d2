package io.lazyq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Row;

/** Result comparisons: exact, except doubles (sums, whose order of addition varies) within a relative tolerance. */
final class Rows {
  private Rows() {}

  static void assertClose(List<?> expected, List<Row> actual, double relative) {
    assertEquals(expected.size(), actual.size(), "rows: expected " + expected + ", got " + actual);
    for (int r = 0; r < actual.size(); r++) {
      Object[] e = values(expected.get(r));
      Row a = actual.get(r);
      assertEquals(e.length, a.length(), "columns of row " + r);
      for (int c = 0; c < e.length; c++) {
        Object ev = e[c];
        Object av = a.get(c);
        String where = "row " + r + " column " + c + ": expected " + java.util.Arrays.toString(e) + ", got " + a;
        if (ev instanceof Double d && av instanceof Double x) {
          assertEquals(d, x, Math.abs(d) * relative + 1e-300, where);
        } else {
          assertEquals(ev, av, where);
        }
      }
    }
  }

  private static Object[] values(Object row) {
    if (row instanceof Row r) {
      Object[] v = new Object[r.length()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.get(i);
      }
      return v;
    }
    return (Object[]) row;
  }
}
