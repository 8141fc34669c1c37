package dev.eider.ingest;

import dev.eider.store.WriteBatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where the HTTP API hands writes: {@link WriteQueue} (Eider's own write-ahead log in front of
 * DuckDB) or {@link DirectCommit} (group commit straight into PostgreSQL).
 */
public interface Writes extends AutoCloseable {

    /** The heap budget that request bodies being read share with the rows queued here. */
    MemoryBudget memory();

    /**
     * Queues one request's rows; the future completes once they are durable. The queue owns the
     * part from here on.
     *
     * @throws UnavailableException (503) when the queue or the memory budget is full, or writes are refused
     */
    CompletableFuture<Commit> submit(WriteBatch.Part part);

    /** Waits until every write acknowledged so far is visible to reads (read-your-writes). */
    void awaitVisible();

    /**
     * Waits at most {@code max} until every write acknowledged so far is visible to reads, and never
     * fails: for views that must answer while writes cannot be applied (the status page). Answers
     * whether they are visible.
     */
    boolean awaitVisible(Duration max);

    /** What readiness reports. */
    Health health();

    @Override
    void close();
}
