package dev.eider.ingest;

import dev.eider.store.HeapSize;
import dev.eider.store.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How write requests get in line, for both ways of committing them (the write-ahead log's writer
 * and PostgreSQL's committers): each reserves its heap in the memory budget and waits in a bounded
 * queue; a full budget or queue, or a closed door, refuses it at once with 503. A request refused
 * anywhere gives back what it held: its budget and its staged rows.
 */
final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    /** A request waiting to be committed, with the heap it holds in the budget. */
    record Pending(WriteBatch.Part part, long bytes, CompletableFuture<Commit> done) {}

    private final MemoryBudget budget;
    private final Duration retryAfter;
    private final BlockingQueue<Pending> queue;
    private final AtomicReference<Supplier<? extends RuntimeException>> closed = new AtomicReference<>();

    Admission(MemoryBudget budget, int capacity, Duration retryAfter) {
        this.budget = budget;
        this.retryAfter = retryAfter;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Queues one request's rows; the future completes once they are committed. From here on the
     * request's part is owned here or by whoever takes it: staged rows are released once merged,
     * or at once when the request is refused.
     *
     * @throws UnavailableException (503) when the queue or the memory budget is full, or the door is closed
     */
    CompletableFuture<Commit> submit(WriteBatch.Part part) {
        long bytes = HeapSize.of(part);
        try {
            requireOpen();
            budget.reserve(bytes);
        } catch (RuntimeException e) {
            discard(part);
            throw e;
        }
        Pending p = new Pending(part, bytes, new CompletableFuture<>());
        if (!queue.offer(p)) {
            release(p);
            throw new QueueFullException(retryAfter);
        }
        if (!open() && queue.remove(p)) {
            // Closed between the check above and the offer: nobody will ever take this one.
            release(p);
            requireOpen();
        }
        return p.done();
    }

    private void requireOpen() {
        Supplier<? extends RuntimeException> refusal = closed.get();
        if (refusal != null) {
            throw refusal.get();
        }
    }

    /** Refuses requests from now on with {@code refusal}'s exception; the first reason given stays. */
    void close(Supplier<? extends RuntimeException> refusal) {
        closed.compareAndSet(null, refusal);
    }

    boolean open() {
        return closed.get() == null;
    }

    /** Whether a thread taking requests has more to do: the door is open or requests still wait. */
    boolean pending() {
        return open() || !queue.isEmpty();
    }

    /**
     * Waits up to 100 ms for a request, then moves it and every request waiting behind it into
     * {@code batch}, up to {@code maxRows} rows.
     *
     * @return whether any request came
     */
    boolean take(List<Pending> batch, long maxRows) throws InterruptedException {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        batch.add(first);
        Batching.takeWaiting(queue, batch, maxRows, p -> p.part().size());
        return true;
    }

    /** Requests waiting to be taken. */
    int depth() {
        return queue.size();
    }

    /** Answers a request that was not committed, and gives back what it held. */
    void refuse(Pending p, Throwable why) {
        if (p.done().isDone()) {
            return;
        }
        release(p);
        p.done().completeExceptionally(why);
    }

    /** Refuses every request still waiting. */
    void refuseWaiting(Throwable why) {
        List<Pending> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        waiting.forEach(p -> refuse(p, why));
    }

    private void release(Pending p) {
        budget.release(p.bytes());
        discard(p.part());
    }

    /** Staged rows of a request that never reaches the store: delete them. */
    static void discard(WriteBatch.Part part) {
        if (part instanceof WriteBatch.Staged s) {
            try {
                s.rows().close();
            } catch (RuntimeException e) {
                log.atWarn()
                        .addKeyValue("event", "stage_discard_failed")
                        .addKeyValue("error", e.getMessage())
                        .log("cannot discard staged rows");
            }
        }
    }
}
