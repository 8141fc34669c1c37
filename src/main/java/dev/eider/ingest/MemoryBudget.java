package dev.eider.ingest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap bytes that write requests may hold at once: bodies being read and rows waiting between the
 * log and the store. A reservation past the budget is refused (503) rather than risking an
 * OutOfMemoryError; one reservation is always granted when nothing else is held, so a request
 * larger than the budget is slow rather than impossible.
 */
public final class MemoryBudget {

    private final long limit;
    private final Duration retryAfter;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long limit, Duration retryAfter) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive: " + limit);
        }
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    /**
     * Reserves {@code bytes}, to be given back with {@link #release(long)}.
     *
     * @throws QueueFullException when the budget is spent
     */
    public void reserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now > 0 && now + bytes > limit) {
                throw new QueueFullException(
                        "Eider holds as much request data in memory as ingest.memory_budget allows (" + limit
                                + " bytes)",
                        retryAfter);
            }
        } while (!used.compareAndSet(now, now + bytes));
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Bytes reserved now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
