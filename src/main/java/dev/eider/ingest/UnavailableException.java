package dev.eider.ingest;

import java.time.Duration;

/**
 * Ingest cannot take or serve this request now (503): it is overloaded, stopping, or its log has
 * failed. Clients may retry after {@link #retryAfter()}.
 */
public class UnavailableException extends RuntimeException {

    private final String title;
    private final Duration retryAfter;

    public UnavailableException(String title, String why, Duration retryAfter) {
        this(title, why, retryAfter, null);
    }

    public UnavailableException(String title, String why, Duration retryAfter, Throwable cause) {
        super(why + "; retry after " + Math.max(1, retryAfter.toSeconds()) + "s", cause);
        this.title = title;
        this.retryAfter = retryAfter;
    }

    /** The problem's title: what kind of unavailability this is. */
    public String title() {
        return title;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
