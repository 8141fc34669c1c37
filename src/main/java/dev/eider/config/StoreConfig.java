package dev.eider.config;

import java.nio.file.Path;

/**
 * Where records are kept and how DuckDB may use the machine.
 *
 * @param dataFile the DuckDB database file
 * @param jdbcUrl a JDBC URL for an external database (PostgreSQL), or null for DuckDB
 * @param memoryLimit DuckDB's {@code memory_limit}
 * @param threads DuckDB's {@code threads}
 * @param checkpointThreshold DuckDB's {@code checkpoint_threshold}: WAL size that triggers a checkpoint
 */
public record StoreConfig(
        Path dataFile, String jdbcUrl, DataSize memoryLimit, int threads, DataSize checkpointThreshold) {}
