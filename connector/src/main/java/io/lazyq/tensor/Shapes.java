package io.lazyq.tensor;

/** Shape arithmetic shared by readers and writers. */
public final class Shapes {
  private Shapes() {}

  /**
   * Product of the dimensions; 1 for a scalar (empty shape).
   *
   * @throws IllegalArgumentException if a dimension is negative
   * @throws ArithmeticException if the product of the non-zero dimensions overflows a long: a zero
   *     dimension must not hide dimensions whose row count ({@link #rowCount}) overflows
   */
  public static long elementCount(long[] shape) {
    long n = 1;
    boolean empty = false;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension " + d);
      }
      empty |= d == 0;
      n = d == 0 ? n : Math.multiplyExact(n, d);
    }
    return empty ? 0 : n;
  }

  /** Length of the innermost dimension: 1 for a scalar. */
  public static long rowLength(long[] shape) {
    return shape.length == 0 ? 1 : shape[shape.length - 1];
  }

  /** Number of rows: the product of every dimension but the innermost. */
  public static long rowCount(long[] shape) {
    long n = 1;
    for (int i = 0; i < shape.length - 1; i++) {
      n = Math.multiplyExact(n, shape[i]);
    }
    return n;
  }

  /** The same dimensions in the other order: GGUF's {@code ne} from a shape, and back. */
  public static long[] reversed(long[] dims) {
    long[] r = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      r[i] = dims[dims.length - 1 - i];
    }
    return r;
  }
}
