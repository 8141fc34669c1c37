package dev.eider.config;

import java.time.Duration;

/**
 * The write queue and group commit.
 *
 * @param queueCapacity requests that may wait for the writer before clients get 503
 * @param maxBatchRows rows the writer commits in one transaction at most (a larger request commits alone)
 * @param stageThreshold rows above which a request is staged in the database while it streams in
 * @param memoryBudget heap that request bodies being read and rows waiting for the store may take
 *     together; past it requests get 503, and a request holding more than an eighth of it in
 *     memory streams into a staging table instead
 * @param retryAfter what a 503 tells clients to wait
 * @param applyEvery how long small requests' rows may gather in DuckDB (durable, off the Java heap) before
 *     they are applied in one transaction, unless {@code maxBatchRows} gather first or a read waits for
 *     them; at most 100ms applies each batch as it comes (as PostgreSQL always does)
 */
public record IngestConfig(
        int queueCapacity,
        int maxBatchRows,
        int stageThreshold,
        DataSize memoryBudget,
        Duration retryAfter,
        Duration applyEvery) {

    /** The default {@code ingest.apply_every}. */
    public static final Duration APPLY_EVERY = Duration.ofSeconds(1);

    /** The longest {@code ingest.apply_every}. */
    public static final Duration MAX_APPLY_EVERY = Duration.ofHours(1);

    /** A quarter of the JVM's heap (40MB under the launcher's 160MB), and at least 16MB. */
    public static DataSize defaultMemoryBudget() {
        return new DataSize(Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4));
    }

    /** Rows a single request may hold in memory before it streams into a staging table. */
    public long stageBytes() {
        return memoryBudget.bytes() / 8;
    }
}
