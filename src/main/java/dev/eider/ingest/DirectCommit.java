package dev.eider.ingest;

import dev.eider.config.IngestConfig;
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
 * Group commit straight into a database whose commit is durable and shared by several instances
 * (PostgreSQL): requests wait in a bounded queue; a committer thread takes everything waiting and
 * commits it in one transaction, which also gives the rows their sequences; then every request in it is
 * acknowledged. No log of Eider's own: what is acknowledged is in the database, visible to every
 * instance (see docs/decisions.md). A failed commit fails its requests (nothing of them was
 * committed) and the next batch is tried afresh.
 */
public final class DirectCommit implements Writes {

    private static final Logger log = LoggerFactory.getLogger(DirectCommit.class);

    /** Commits requests' rows in one transaction, in order, and returns the highest sequence given. */
    @FunctionalInterface
    public interface Committer {
        long commit(List<WriteBatch.Part> parts);
    }

    private record Pending(WriteBatch.Part part, long bytes, CompletableFuture<Commit> done) {}

    private final IngestConfig config;
    private final Committer committer;
    private final MemoryBudget budget;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable lastFailure;

    /**
     * @param threads transactions in flight at once: requests waiting together are concurrent, so
     *     committing them in parallel transactions keeps every guarantee (a client's next request is sent
     *     only after its previous one was acknowledged)
     */
    public DirectCommit(IngestConfig config, Committer committer, int threads) {
        this.config = config;
        this.committer = committer;
        this.budget = new MemoryBudget(config.memoryBudget().bytes(), config.retryAfter());
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, "eider-committer-" + i);
            committers.add(t);
            t.start();
        }
    }

    @Override
    public MemoryBudget memory() {
        return budget;
    }

    @Override
    public CompletableFuture<Commit> submit(WriteBatch.Part part) {
        long bytes = HeapSize.of(part);
        try {
            requireRunning();
            budget.reserve(bytes);
        } catch (RuntimeException e) {
            discard(part);
            throw e;
        }
        Pending p = new Pending(part, bytes, new CompletableFuture<>());
        if (!queue.offer(p)) {
            release(p);
            throw new QueueFullException(config.retryAfter());
        }
        if (!running && queue.remove(p)) {
            release(p);
            requireRunning();
        }
        return p.done();
    }

    private void requireRunning() {
        if (!running) {
            throw new UnavailableException("Stopping", "Eider is stopping", config.retryAfter());
        }
    }

    /** An acknowledged write is committed in the database, so reads already see it. */
    @Override
    public void awaitVisible() {}

    @Override
    public Health health() {
        if (!running) {
            return new Health("stopping", "Eider is stopping");
        }
        Throwable failed = lastFailure;
        return failed == null
                ? Health.READY
                : new Health("failing", "the last commit to the database failed: " + failed.getMessage());
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
                Batching.takeWaiting(
                        queue, batch, config.maxBatchRows(), p -> p.part().size());
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // Nothing of this batch was committed: its requests fail, later ones are tried afresh.
                lastFailure = e;
                log.atError()
                        .addKeyValue("event", "commit_failed")
                        .addKeyValue("requests", batch.size())
                        .setCause(e)
                        .log("commit failed; its requests are answered 503");
                UnavailableException failure = new UnavailableException(
                        "Commit failed",
                        "the database refused the commit (" + e.getMessage() + ")",
                        config.retryAfter(),
                        e);
                batch.forEach(p -> p.done().completeExceptionally(failure));
            } finally {
                batch.forEach(p -> budget.release(p.bytes()));
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<WriteBatch.Part> parts = new ArrayList<>(batch.size());
        batch.forEach(p -> parts.add(p.part()));
        long last = committer.commit(parts);
        lastFailure = null;
        for (Pending p : batch) {
            p.done().complete(new Commit(p.part().size(), last));
        }
    }

    private void release(Pending p) {
        budget.release(p.bytes());
        discard(p.part());
    }

    private static void discard(WriteBatch.Part part) {
        if (part instanceof WriteBatch.Staged s) {
            s.rows().close();
        }
    }

    /** Stops taking requests, commits those already queued, and stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread t : committers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
