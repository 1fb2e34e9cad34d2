package io.lazyq;

/**
 * Where a writer that publishes on commit stands: open, failed (a write threw, so nothing will be
 * published), or ended (committed or closed). Every publishing writer asks it before each write,
 * so that a caller who carries on after a failure cannot publish what the failure left half done.
 */
public final class WriteState {
  private Throwable failure;
  private boolean ended;

  /** @throws IllegalStateException if a write failed or the writer has ended */
  public void checkWritable() {
    if (failure != null) {
      throw new IllegalStateException("an earlier write failed (" + failure + "); nothing is published", failure);
    }
    if (ended) {
      throw new IllegalStateException("the writer was committed or closed");
    }
  }

  /** Records the first failure; the writer publishes nothing after it. */
  public void fail(Throwable e) {
    if (failure == null) {
      failure = e;
    }
  }

  /** Ends the writer; returns whether it was still open, that is, whether the caller must clean up. */
  public boolean end() {
    boolean wasOpen = !ended;
    ended = true;
    return wasOpen;
  }
}
