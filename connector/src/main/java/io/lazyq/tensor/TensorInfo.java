package io.lazyq.tensor;

import io.lazyq.quant.QuantType;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One tensor of a file, as its index describes it.
 *
 * @param name the tensor's name
 * @param type its element type
 * @param shape dimensions, outermost first (numpy and PyTorch order; GGUF's {@code ne} reversed)
 * @param elementCount the product of the dimensions
 * @param byteSize bytes of its data in the file
 * @param dataOffset absolute offset of its data in the file
 */
public record TensorInfo(String name, ElementType type, long[] shape, long elementCount,
    long byteSize, long dataOffset) {

  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = shape.clone();
    if (elementCount != Shapes.elementCount(shape) || byteSize != type.byteSize(elementCount)) {
      throw new IllegalArgumentException("inconsistent sizes for " + name);
    }
    if (dataOffset < 0) {
      throw new IllegalArgumentException("negative offset for " + name);
    }
  }

  /** The tensor of {@code spec} with its data at {@code dataOffset}. */
  public static TensorInfo of(TensorSpec spec, long dataOffset) {
    return new TensorInfo(spec.name(), spec.type(), spec.shape(), spec.elementCount(),
        spec.byteSize(), dataOffset);
  }

  public TensorSpec spec() {
    return new TensorSpec(name, type, shape);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** The block type, where the element type is one. */
  public Optional<QuantType> quantType() {
    return type.quantType();
  }

  /** Values per row: the innermost dimension (GGUF's {@code ne[0]}). */
  public long rowLength() {
    return Shapes.rowLength(shape);
  }

  /** Number of rows: the product of all dimensions but the innermost. */
  public long rows() {
    return Shapes.rowCount(shape);
  }

  /** Offset just past the data. */
  public long dataEnd() {
    return dataOffset + byteSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t && name.equals(t.name) && type == t.type
        && Arrays.equals(shape, t.shape) && dataOffset == t.dataOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(shape), dataOffset);
  }

  @Override
  public String toString() {
    return name + " " + type + " " + Arrays.toString(shape) + " @" + dataOffset + "+" + byteSize;
  }
}
