package dev.eider.ingest;

import dev.eider.store.WriteBatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The writes of an instance with role {@code export}: reads and exports as usual, every write refused (503). */
public final class RefusedWrites implements Writes {

    private final Writes inner;
    private final Duration retryAfter;

    public RefusedWrites(Writes inner, Duration retryAfter) {
        this.inner = inner;
        this.retryAfter = retryAfter;
    }

    @Override
    public MemoryBudget memory() {
        return inner.memory();
    }

    @Override
    public CompletableFuture<Commit> submit(WriteBatch.Part part) {
        if (part instanceof WriteBatch.Staged s) {
            s.rows().close();
        }
        throw new UnavailableException(
                "Writes refused",
                "this instance runs with role export and takes no writes; send writes to an instance with role"
                        + " all or ingest",
                retryAfter);
    }

    @Override
    public void awaitVisible() {
        inner.awaitVisible();
    }

    @Override
    public boolean awaitVisible(Duration max) {
        return inner.awaitVisible(max);
    }

    @Override
    public Health health() {
        return inner.health();
    }

    @Override
    public void close() {
        inner.close();
    }
}
