package dev.eider.config;

import java.time.Duration;

/**
 * The write queue and group commit.
 *
 * @param queueCapacity requests that may wait for the writer before clients get 503
 * @param maxBatchRows rows the writer commits in one transaction at most (a larger request commits alone)
 * @param stageThreshold rows above which a request is staged in the database while it streams in
 * @param retryAfter what a 503 tells clients to wait
 */
public record IngestConfig(int queueCapacity, int maxBatchRows, int stageThreshold, Duration retryAfter) {}
