package io.lazyq.storage;

import java.util.concurrent.atomic.AtomicInteger;

/** A reference count that starts at one and runs {@code onZero} once, when the last holder lets go. */
final class RefCount {
  private final AtomicInteger references = new AtomicInteger(1);
  private final Runnable onZero;
  private final String what;

  RefCount(String what, Runnable onZero) {
    this.what = what;
    this.onZero = onZero;
  }

  void retain() {
    if (references.getAndIncrement() <= 0) {
      references.decrementAndGet();
      throw new IllegalStateException(what + " was already released");
    }
  }

  void release() {
    int left = references.decrementAndGet();
    if (left == 0) {
      onZero.run();
    } else if (left < 0) {
      references.incrementAndGet();
      throw new IllegalStateException(what + " released more times than retained");
    }
  }

  int get() {
    return references.get();
  }
}
