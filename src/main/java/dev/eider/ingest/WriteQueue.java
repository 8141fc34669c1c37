package dev.eider.ingest;

import dev.eider.config.IngestConfig;
import dev.eider.store.RecordStore;
import dev.eider.store.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: requests wait in a bounded queue; one writer thread takes everything waiting (up to
 * a row budget), commits it as one transaction and acknowledges every request in it. A full queue
 * refuses new requests rather than growing without bound.
 */
public final class WriteQueue implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

  private final RecordStore store;
  private final IngestConfig config;
  private final BlockingQueue<Pending> queue;
  private final Thread writer;
  private volatile boolean running = true;

  private record Pending(WriteBatch.Part part, CompletableFuture<Commit> done) {}

  public WriteQueue(RecordStore store, IngestConfig config) {
    this.store = store;
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.writer = new Thread(this::run, "eider-writer");
    writer.start();
  }

  /**
   * Queues one request's rows; the future completes once they are durable.
   *
   * @throws QueueFullException when the writer is this far behind
   */
  public CompletableFuture<Commit> submit(WriteBatch.Part part) {
    if (!running) {
      throw new IllegalStateException("the write queue is closed");
    }
    Pending p = new Pending(part, new CompletableFuture<>());
    if (!queue.offer(p)) {
      throw new QueueFullException(config.retryAfter());
    }
    return p.done();
  }

  /** Requests waiting for the writer. */
  public int depth() {
    return queue.size();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long rows = first.part().size();
        Pending next;
        while (rows < config.maxBatchRows() && (next = queue.peek()) != null && rows + next.part().size() <= config.maxBatchRows()) {
          batch.add(queue.poll());
          rows += next.part().size();
        }
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("event=writer_failed", e);
        batch.forEach(p -> p.done().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Pending> batch) {
    List<WriteBatch.Part> parts = new ArrayList<>(batch.size());
    batch.forEach(p -> parts.add(p.part()));
    try {
      long sequence = store.apply(new WriteBatch(parts));
      batch.forEach(p -> p.done().complete(new Commit(p.part().size(), sequence)));
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).done().completeExceptionally(e);
        return;
      }
      // One request must not fail the others it happened to share a transaction with, whatever it failed with.
      log.warn("event=batch_failed requests={} error=\"{}\" action=retry_one_by_one", batch.size(), e.getMessage());
      for (Pending p : batch) {
        commit(List.of(p));
      }
    }
  }

  /** Stops taking requests, commits those already queued, and waits for the writer to finish. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
