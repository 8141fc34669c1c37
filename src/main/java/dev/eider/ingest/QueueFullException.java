package dev.eider.ingest;

import java.time.Duration;

/** Ingest is too far behind to take or serve this request now: retry after {@link #retryAfter()}. */
public final class QueueFullException extends UnavailableException {

    public QueueFullException(Duration retryAfter) {
        this("the write queue is full", retryAfter);
    }

    public QueueFullException(String why, Duration retryAfter) {
        super("Overloaded", why, retryAfter);
    }
}
