package dev.eider.ingest;

import dev.eider.config.IngestConfig;
import dev.eider.store.StoreException;
import dev.eider.store.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    private final IngestConfig config;
    private final Committer committer;
    private final MemoryBudget budget;
    private final Admission admission;
    private final List<Thread> committers = new ArrayList<>();
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
        this.admission = new Admission(budget, config.queueCapacity(), config.retryAfter());
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
        return admission.submit(part);
    }

    /** An acknowledged write is committed in the database, so reads already see it. */
    @Override
    public void awaitVisible() {}

    @Override
    public boolean awaitVisible(Duration max) {
        return true;
    }

    @Override
    public Health health() {
        if (!admission.open()) {
            return new Health("stopping", "Eider is stopping");
        }
        Throwable failed = lastFailure;
        if (failed == null) {
            return Health.READY;
        }
        if (tablesGone(failed)) {
            return new Health(Health.FAILED, StoreException.TABLES_GONE);
        }
        return new Health("failing", "the last commit to the database failed: " + failed.getMessage());
    }

    private void run() {
        List<Admission.Pending> batch = new ArrayList<>();
        while (admission.pending()) {
            try {
                if (admission.take(batch, config.maxBatchRows())) {
                    commit(batch);
                }
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
                // Tables gone: the answer says to restart (see ProblemMapper), not to retry in a second.
                RuntimeException failure = tablesGone(e)
                        ? (StoreException) e
                        : new UnavailableException(
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

    private static boolean tablesGone(Throwable e) {
        return e instanceof StoreException s && s.databaseTablesGone();
    }

    private void commit(List<Admission.Pending> batch) {
        List<WriteBatch.Part> parts = new ArrayList<>(batch.size());
        batch.forEach(p -> parts.add(p.part()));
        long last = committer.commit(parts);
        lastFailure = null;
        for (Admission.Pending p : batch) {
            p.done().complete(new Commit(p.part().size(), last));
        }
    }

    /** Stops taking requests, commits those already queued, and stops the thread. */
    @Override
    public void close() {
        admission.close(() -> new UnavailableException("Stopping", "Eider is stopping", config.retryAfter()));
        try {
            for (Thread t : committers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
