package io.lazyq.spark;

import java.io.Serializable;
import java.util.Map;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.vectorized.ColumnVector;

/**
 * The selected partition columns of a scan, as the tasks fill them: one constant vector per
 * column, set once per file from the file's partition values, so that a batch costs nothing per
 * row for them.
 */
final class PartitionConstants implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PartitionColumns partitions;
  private final int[] selected;

  /** @param selected the selected partition columns, by index in {@code partitions}, in read-schema order */
  PartitionConstants(PartitionColumns partitions, int[] selected) {
    this.partitions = partitions;
    this.selected = selected.clone();
  }

  /** The vectors of one task, whose values {@link Vectors#bind} sets per file. */
  Vectors vectors(ChunkGroup group, int rows) {
    return new Vectors(group, rows);
  }

  /** One task's constant vectors over the files of its group. */
  final class Vectors {
    private final ConstantColumnVector[] vectors = new ConstantColumnVector[selected.length];
    private final Object[][] values;
    private final int[] fileOf;
    private int file = -1;

    private Vectors(ChunkGroup group, int rows) {
      for (int i = 0; i < selected.length; i++) {
        vectors[i] = PartitionColumns.vector(type(i), rows);
      }
      values = new Object[group.files().length][];
      for (int f = 0; f < values.length; f++) {
        Map<String, String> v = group.partitionValues().get(f);
        values[f] = partitions.parse(v);
      }
      fileOf = group.fileOf();
    }

    private DataType type(int i) {
      return partitions.schema().fields()[selected[i]].dataType();
    }

    ColumnVector[] vectors() {
      return vectors;
    }

    /** Sets the vectors to the values of the file of the group's chunk {@code chunk}. */
    void bind(int chunk) {
      int f = fileOf[chunk];
      if (f == file) {
        return;
      }
      file = f;
      for (int i = 0; i < selected.length; i++) {
        PartitionColumns.set(vectors[i], type(i), values[f][selected[i]]);
      }
    }

    void close() {
      for (ConstantColumnVector v : vectors) {
        v.close();
      }
    }
  }
}
