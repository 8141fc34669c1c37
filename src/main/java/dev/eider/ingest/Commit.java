package dev.eider.ingest;

/**
 * A durable acknowledgement: {@code rows} records of one request are committed in the transaction
 * whose highest sequence is {@code sequence}.
 */
public record Commit(long rows, long sequence) {}
