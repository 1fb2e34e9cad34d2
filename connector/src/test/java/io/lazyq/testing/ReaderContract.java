package io.lazyq.testing;

import io.lazyq.LazyQFormatException;
import java.lang.management.ManagementFactory;

/**
 * What every reader promises for any input, checked around one read: it returns data or throws
 * {@link LazyQFormatException}, and nothing else escapes; it finishes within {@link #TIME_LIMIT_NANOS};
 * and it allocates at most {@link #allowance(long)} bytes on the reading thread.
 *
 * <p>A breach is an {@link AssertionError} that names it, so a fuzzer records the input as a crash.
 */
public final class ReaderContract {
  /** A reader's work is linear in its input; five seconds for an input of the sizes fuzzed means something loops. */
  public static final long TIME_LIMIT_NANOS = 5_000_000_000L;
  /**
   * A read that has not returned after this many seconds never will: fuzz targets carry it as
   * JUnit's {@code @Timeout}, which Jazzer passes on as libFuzzer's per-input timeout. It is longer
   * than {@link #TIME_LIMIT_NANOS} so that a read that is slow but finishes is reported with its figures.
   */
  public static final int HANG_SECONDS = 20;
  /**
   * Bytes a reader may allocate per byte of input. Above one because the decoded index is Java
   * objects for what the file packs tightly (a 126-byte column entry becomes a record of records).
   */
  public static final long ALLOCATION_PER_INPUT_BYTE = 4;
  /**
   * Bytes a reader may allocate whatever its input: fixed buffers (a 64 KiB header window, a 1 MiB
   * stream step, decoding scratch), class initialisation on first use, and the fuzzer's own hooks.
   */
  public static final long ALLOCATION_CONSTANT = 8L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** {@code -Dlazyq.contract.trace=true} prints each read's figures. */
  private static final boolean TRACE = Boolean.getBoolean("lazyq.contract.trace");

  private ReaderContract() {}

  /** One read of an input: opens, reads everything, closes. */
  @FunctionalInterface
  public interface Read {
    void run() throws Exception;
  }

  /** What a read came to. */
  public enum Outcome { READ, REFUSED }

  /** The most a reader may allocate for an input of {@code inputBytes}. */
  public static long allowance(long inputBytes) {
    return ALLOCATION_PER_INPUT_BYTE * inputBytes + ALLOCATION_CONSTANT;
  }

  /**
   * Runs {@code read} on this thread and checks the contract.
   *
   * @param inputBytes the size of the input, which bounds what the read may allocate
   */
  public static Outcome check(long inputBytes, Read read) {
    Measured first = measure(inputBytes, read);
    // Class loading and initialisation on a code path's first use count as allocation; a read
    // that exceeds its allowance is repeated, and the second, which loads nothing, is judged.
    Measured judged = first.allocated > allowance(inputBytes) ? measure(inputBytes, read) : first;
    if (judged.outcome != first.outcome) {
      throw new AssertionError("the same input was first " + first.outcome + ", then " + judged.outcome);
    }
    if (judged.nanos > TIME_LIMIT_NANOS) {
      throw new AssertionError("a read of " + inputBytes + " bytes took " + judged.nanos / 1_000_000 + " ms");
    }
    if (judged.allocated > allowance(inputBytes)) {
      throw new AssertionError("a read of " + inputBytes + " bytes allocated " + judged.allocated
          + " bytes, more than the " + allowance(inputBytes) + " allowed");
    }
    if (TRACE) {
      System.err.printf("contract: %d bytes in, %s, %d bytes allocated, %d us%n", inputBytes, judged.outcome,
          judged.allocated, judged.nanos / 1000);
    }
    return judged.outcome;
  }

  private record Measured(Outcome outcome, long allocated, long nanos) {}

  private static Measured measure(long inputBytes, Read read) {
    long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    Outcome outcome;
    try {
      read.run();
      outcome = Outcome.READ;
    } catch (LazyQFormatException e) {
      outcome = Outcome.REFUSED;
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable e) {
      throw new AssertionError("a reader threw " + e.getClass().getName() + " where only "
          + LazyQFormatException.class.getSimpleName() + " is allowed: " + e.getMessage(), e);
    }
    long nanos = System.nanoTime() - start;
    return new Measured(outcome, THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore, nanos);
  }
}
