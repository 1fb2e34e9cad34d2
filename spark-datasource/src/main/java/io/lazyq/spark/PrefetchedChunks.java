package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import io.lazyq.storage.MappingStats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the chunks of a {@link MappedChunks} ahead of the reader, on a thread of its own, so that
 * mapping, checksums and the page faults they take (and, for columns that ask for it,
 * dequantization) overlap with Spark's work on the current batch. At most {@code depth} chunks
 * wait ready; the thread blocks until the reader takes one.
 *
 * <p>The reader's thread owns every chunk it has taken; chunks still queued when the reader closes
 * are closed here, after the thread has stopped, so nothing stays mapped.
 */
final class PrefetchedChunks implements ChunkSource {
  private static final AtomicInteger THREADS = new AtomicInteger();
  /** Threads are made on demand and end after a minute unused; they never keep an executor JVM alive. */
  private static final ExecutorService PREFETCHERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "lazyq-prefetch-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  /** Marks the end of the partition in the queue. */
  private static final OpenChunk END = new OpenChunk(0, new ColumnView[0]);

  private final MappedChunks chunks;
  private final boolean[] dequantizeAhead;
  private final BlockingQueue<OpenChunk> ready;
  private Future<?> producer;
  /** Counted down when the prefetch thread has left {@link #produce()}: no chunk is opened after it. */
  private final CountDownLatch produced = new CountDownLatch(1);
  private volatile long bytesMapped;
  private volatile boolean stopped;
  private boolean ended;

  /**
   * @param depth chunks prepared ahead, at least 1
   * @param dequantizeAhead for each selected column, whether to dequantize it whole before the reader needs it
   */
  PrefetchedChunks(MappedChunks chunks, int depth, boolean[] dequantizeAhead) {
    this.chunks = chunks;
    this.dequantizeAhead = dequantizeAhead;
    this.ready = new ArrayBlockingQueue<>(depth);
  }

  @Override
  public OpenChunk next() throws IOException {
    if (ended) {
      return null;
    }
    if (producer == null) {
      producer = PREFETCHERS.submit(this::produce);
    }
    OpenChunk next;
    try {
      while ((next = ready.poll(100, TimeUnit.MILLISECONDS)) == null) {
        if (producer.isDone() && ready.isEmpty()) {
          next = END; // the producer ended without queueing its end: it failed
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the next chunk");
    }
    if (next == END) {
      ended = true;
      rethrow();
      return null;
    }
    return next;
  }

  /** Runs on the prefetch thread: opens each chunk in order and queues it, then the end marker. */
  private Void produce() throws Exception {
    try {
      OpenChunk chunk;
      while (!stopped && (chunk = chunks.next()) != null) {
        try {
          for (int i = 0; i < dequantizeAhead.length; i++) {
            if (dequantizeAhead[i]) {
              chunk.dequantizeAhead(i);
            }
          }
          bytesMapped = chunks.bytesMapped();
          ready.put(chunk);
        } catch (Exception | Error e) {
          chunk.close();
          throw e;
        }
      }
      return null;
    } finally {
      try {
        if (!stopped) {
          ready.put(END);
        }
      } finally {
        produced.countDown();
      }
    }
  }

  private void rethrow() throws IOException {
    try {
      producer.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while ending the prefetch");
    }
  }

  @Override
  public long bytesMapped() {
    return bytesMapped;
  }

  @Override
  public long bytesStreamed() {
    return 0;
  }

  @Override
  public MappingStats storageStats() {
    return chunks.storageStats();
  }

  /** Stops the prefetch thread, waits for it, and closes every chunk it opened that the reader never took. */
  @Override
  public void close() throws IOException {
    stopped = true;
    try {
      if (producer != null) {
        producer.cancel(true); // interrupts a thread blocked on a full queue
        awaitEnd();
      }
    } finally {
      IOException failure = null;
      for (OpenChunk c; (c = ready.poll()) != null; ) {
        try {
          c.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      chunks.close();
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** A cancelled future reports done at once; the thread itself may still be opening a chunk. */
  private void awaitEnd() {
    boolean interrupted = false;
    while (true) {
      try {
        produced.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // closing must not leave a chunk mapped: wait, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
