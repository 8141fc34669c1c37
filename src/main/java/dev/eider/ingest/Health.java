package dev.eider.ingest;

/**
 * Whether ingest takes and applies writes, as readiness reports it.
 *
 * @param status {@code ready}; {@code failing} while the store refuses logged writes (retried);
 *     {@code failed} once the write-ahead log failed (restart needed); {@code stopping}
 * @param detail what is wrong, in plain words, or null when ready
 */
public record Health(String status, String detail) {

    static final Health READY = new Health("ready", null);

    /** Only a restart mends it: the write-ahead log failed, or the database stopped after a fatal error. */
    public static final String FAILED = "failed";

    public boolean failed() {
        return status.equals(FAILED);
    }

    public boolean ready() {
        return this == READY || status.equals(READY.status());
    }
}
