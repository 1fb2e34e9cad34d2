package io.lazyq.lossless;

/** The fixed-width values a region holds: their width, and whether they are IEEE floats. */
public enum ValueKind {
  INT32(4, false),
  INT64(8, false),
  FLOAT32(4, true),
  FLOAT64(8, true);

  private final int width;
  private final boolean floating;

  ValueKind(int width, boolean floating) {
    this.width = width;
    this.floating = floating;
  }

  /** Bytes per value in the plain layout. */
  public int width() {
    return width;
  }

  public boolean isFloating() {
    return floating;
  }
}
