package dev.eider.ingest;

import java.time.Duration;

/** Ingest is too far behind to take or serve this request now: retry after {@link #retryAfter()}. */
public final class QueueFullException extends RuntimeException {

    private final Duration retryAfter;

    public QueueFullException(Duration retryAfter) {
        this("the write queue is full", retryAfter);
    }

    public QueueFullException(String why, Duration retryAfter) {
        super(why + "; retry after " + Math.max(1, retryAfter.toSeconds()) + "s");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
