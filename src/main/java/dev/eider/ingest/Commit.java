package dev.eider.ingest;

/**
 * A durable acknowledgement: {@code rows} records of one request are committed in the transaction
 * whose highest sequence is {@code sequence}; the request's own rows carry the sequences up to
 * {@code requestSequence} (so a request that writes one record learns that record's sequence, not
 * the sequence of the group commit it shared with other requests).
 */
public record Commit(long rows, long sequence, long requestSequence) {

    /** An acknowledgement whose request's own sequences are not known apart from its group's. */
    public Commit(long rows, long sequence) {
        this(rows, sequence, sequence);
    }
}
