package io.lazyq;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Closes many resources so that one failure neither skips the others nor hides an earlier error:
 * every resource is closed, the first failure is thrown, and later ones are attached to it as
 * suppressed, as Lucene's {@code IOUtils.close} does. {@code null} resources are skipped.
 */
public final class Closeables {
  private Closeables() {}

  /** Closes each resource in order; throws the first failure, with the later ones suppressed. */
  public static void closeAll(Closeable... resources) throws IOException {
    closeAll(Arrays.asList(resources));
  }

  /** Closes each resource in order; throws the first failure, with the later ones suppressed. */
  public static void closeAll(Iterable<? extends Closeable> resources) throws IOException {
    Throwable first = null;
    for (Closeable r : resources) {
      first = close(r, first);
    }
    if (first instanceof IOException io) {
      throw io;
    }
    rethrowUnchecked(first);
  }

  /**
   * Closes each resource after {@code primary} failed, attaching their failures to it as
   * suppressed, so that the caller can rethrow {@code primary} with its precise type:
   * {@code catch (IOException | RuntimeException e) { Closeables.closeOnFailure(e, a, b); throw e; }}.
   */
  public static void closeOnFailure(Throwable primary, Closeable... resources) {
    for (Closeable r : resources) {
      Throwable t = close(r, null);
      if (t != null && t != primary) {
        primary.addSuppressed(t);
      }
    }
  }

  /** Closes each resource; a failure becomes an {@link UncheckedIOException}, later ones suppressed. */
  public static void closeAllUnchecked(Closeable... resources) {
    try {
      closeAll(resources);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Throwable close(Closeable r, Throwable first) {
    if (r == null) {
      return first;
    }
    try {
      r.close();
    } catch (Throwable t) {
      if (first == null) {
        return t;
      }
      if (t != first) {
        first.addSuppressed(t);
      }
    }
    return first;
  }

  private static void rethrowUnchecked(Throwable t) {
    if (t == null) {
      return;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(t);
  }
}
