package io.lazyq.quant;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One vector kernel run on the scalar path until it is compiled. Until C2 has compiled a vector
 * kernel, the interpreter and C1 run the Vector API's Java fallback, hundreds of times slower than
 * the scalar loop. So the first {@link #pick} hands the kernel to a warming thread and returns the
 * scalar kernels; the thread calls the vector kernel on synthetic input ({@code exercise}), which
 * brings C2 to compile it within a fraction of the calls a scan's batches would need, and measures
 * it against the scalar kernel on the same input. Once the vector kernel is faster in
 * {@link #WINS_NEEDED} rounds in a row, every later {@link #pick} returns the vector kernels. Both
 * paths give the same bits, so switching between two calls changes nothing but speed.
 *
 * <p>The warming thread runs a quarter of the time at most (it sleeps three times as long as each
 * pair of rounds took), and a kernel that is not faster after {@link #WARM_CPU_LIMIT_NANOS} of the
 * thread's CPU time stays scalar: in a loaded Spark JVM, C2 can leave a kernel interpreted for
 * tens of seconds (seen under a JFR recording), and the fallback's calls then cost more than the
 * vector kernel could save. Only kernels that are used are warmed.
 *
 * @param <T> the kernels' type, of which the scalar and the vector kernels are two implementations
 */
public final class KernelWarming<T> {
  private static final System.Logger LOG = System.getLogger(Kernels.class.getName());
  /** The warming thread's CPU time a kernel may take to become faster than the scalar one before it stays scalar. */
  static final long WARM_CPU_LIMIT_NANOS = 2_000_000_000L;
  /** Sleep per unit of work, so that warming takes a quarter of one core at most. */
  private static final int IDLE_PER_BUSY = 3;
  /** Calls per measured round; a round of the compiled kernels takes some tens of microseconds. */
  private static final int ROUND_CALLS = 256;
  private static final int WINS_NEEDED = 3;
  private static final Executor DAEMON_THREAD = new Executor() {
    private ExecutorService thread;

    @Override
    public synchronized void execute(Runnable task) {
      if (thread == null) {
        thread = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "lazyq-kernel-warming");
          t.setDaemon(true);
          return t;
        });
      }
      thread.execute(task);
    }
  };

  private final String name;
  private final Consumer<T> exercise;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean onVector;

  /**
   * @param name the kernel, for the log
   * @param exercise calls the kernel of the given implementation once, on synthetic input
   */
  public KernelWarming(String name, Consumer<T> exercise) {
    this.name = name;
    this.exercise = exercise;
  }

  /** The one daemon thread ({@code lazyq-kernel-warming}) that warms every kernel, started at the first warming. */
  public static Executor daemonThread() {
    return DAEMON_THREAD;
  }

  /** The kernel's name. */
  public String name() {
    return name;
  }

  /** Whether {@link #pick} returns the vector kernels now. */
  public boolean onVector() {
    return onVector;
  }

  /** The kernels to call now: {@code vector} once warm, else {@code scalar} (handing the warming to {@code warmer} at first). */
  public T pick(T scalar, T vector, Executor warmer) {
    if (onVector) {
      return vector;
    }
    if (started.compareAndSet(false, true)) {
      warmer.execute(() -> warm(vector, scalar));
    }
    return scalar;
  }

  /**
   * Alternates rounds of the vector and the scalar kernel, timed by this thread's CPU time (a
   * preempted round would count the wait otherwise), until the vector one is faster in
   * {@link #WINS_NEEDED} rounds running or the CPU time allowed is spent.
   */
  private void warm(T vector, T scalar) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpu = threads.isCurrentThreadCpuTimeSupported();
    long began = System.nanoTime();
    long spent = 0;
    int wins = 0;
    while (spent < WARM_CPU_LIMIT_NANOS) {
      long pairBegan = System.nanoTime();
      long v = round(vector, threads, cpu);
      long s = round(scalar, threads, cpu);
      spent += v + s;
      wins = v < s ? wins + 1 : 0;
      if (wins == WINS_NEEDED) {
        onVector = true;
        LOG.log(Level.DEBUG, "LazyQ {0} kernel on vectors after {1} ms of warming ({2} ms of CPU)", name,
            (System.nanoTime() - began) / 1_000_000, spent / 1_000_000);
        return;
      }
      try {
        Thread.sleep(Math.max(1, IDLE_PER_BUSY * (System.nanoTime() - pairBegan) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LOG.log(Level.DEBUG, "LazyQ {0} kernel stays scalar: its vector code was not faster after {1} ms of warming",
        name, (System.nanoTime() - began) / 1_000_000);
  }

  private long round(T kernels, ThreadMXBean threads, boolean cpu) {
    long t0 = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
    for (int i = 0; i < ROUND_CALLS; i++) {
      exercise.accept(kernels);
    }
    return (cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - t0;
  }
}
