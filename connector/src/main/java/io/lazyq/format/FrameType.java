package io.lazyq.format;

/** The kinds of frame in a {@code .lzq} file. */
public enum FrameType {
  /** The schema; always the first frame. */
  SCHEMA(1),
  /** One chunk of rows: its descriptor, then its column buffers. */
  CHUNK(2),
  /** The index of every chunk; always the last frame. */
  FOOTER(3);

  private final int id;

  FrameType(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  static FrameType byId(int id) {
    for (FrameType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    return null;
  }
}
