package io.lazyq.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as a writer declares it: name, element type and shape (outermost dimension first, as
 * numpy and PyTorch give it).
 */
public record TensorSpec(String name, ElementType type, long[] shape) {

  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = shape.clone();
    Shapes.elementCount(shape);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long elementCount() {
    return Shapes.elementCount(shape);
  }

  public long byteSize() {
    return type.byteSize(elementCount());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec s && name.equals(s.name) && type == s.type
        && Arrays.equals(shape, s.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + " " + type + " " + Arrays.toString(shape);
  }
}
