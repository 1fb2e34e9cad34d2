package io.lazyq.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/** Compares what an Arrow reader gives with rows kept in memory. */
final class Expect {
  private Expect() {}

  /** Reads every batch and checks it against {@code rows} (columns in reader order); returns the batch count. */
  static int rows(ArrowReader reader, List<Object[]> rows) throws Exception {
    int batches = 0;
    int at = 0;
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    while (reader.loadNextBatch()) {
      batches++;
      for (int r = 0; r < root.getRowCount(); r++, at++) {
        for (int c = 0; c < root.getFieldVectors().size(); c++) {
          FieldVector v = root.getVector(c);
          assertEquals(normal(rows.get(at)[c]), normal(v.getObject(r)), v.getName() + " row " + at);
        }
      }
    }
    assertEquals(rows.size(), at, "rows read");
    return batches;
  }

  /** Values as comparable objects: arrays as lists, Arrow text as strings. */
  static Object normal(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof float[] a) {
      List<Object> l = new ArrayList<>();
      for (float f : a) {
        l.add(f);
      }
      return l;
    }
    if (o instanceof long[] a) {
      List<Object> l = new ArrayList<>();
      for (long x : a) {
        l.add(x);
      }
      return l;
    }
    if (o instanceof boolean[] a) {
      List<Object> l = new ArrayList<>();
      for (boolean x : a) {
        l.add(x);
      }
      return l;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(normal(x)));
      return out;
    }
    if (o instanceof org.apache.arrow.vector.util.Text t) {
      return t.toString();
    }
    return o;
  }
}
