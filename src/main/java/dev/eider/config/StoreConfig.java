package dev.eider.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where records are kept: a DuckDB file (the default) or a PostgreSQL database shared by several instances. */
public sealed interface StoreConfig permits StoreConfig.DuckDb, StoreConfig.Postgres {

    /** Names the database for log lines and messages, without credentials. */
    String describe();

    /**
     * DuckDB works on 2,048 values at a time, so a read, a checkpoint or an export over a column of
     * values of size v holds about 2,048 × v per thread and per query at once. Keeping the memory it
     * has at this many times {@code server.max_value} left room for eight reads at once, an export and
     * a checkpoint in the new-user trial's measurements (docs/decisions.md).
     */
    long MEMORY_PER_VALUE_BYTE = 16_384;

    /** The memory DuckDB has for work over the values: the store's own, or the Parquet engine's. */
    DataSize valueMemory();

    /**
     * DuckDB's default {@code memory_limit}: a DuckDB store's, and the Parquet engine's of PostgreSQL's
     * exports. (Here, not in {@link DuckDb}: the interface is initialized before its records.)
     */
    DataSize DEFAULT_DUCKDB_MEMORY = DataSize.ofMegabytes(256);

    /** The default {@code server.max_value}: what the default memory holds comfortably, either store. */
    DataSize DEFAULT_MAX_VALUE = new DataSize(DEFAULT_DUCKDB_MEMORY.bytes() / MEMORY_PER_VALUE_BYTE);

    /** The largest {@code server.max_value} that {@link #valueMemory()} holds comfortably. */
    default long largestComfortableValue() {
        return valueMemory().bytes() / MEMORY_PER_VALUE_BYTE;
    }

    /**
     * What may go wrong with values up to {@code maxValue} here, in words for a warning at start, or
     * empty when nothing should.
     */
    default Optional<String> valueSizeRisk(DataSize maxValue) {
        if (maxValue.bytes() <= largestComfortableValue()) {
            return Optional.empty();
        }
        return Optional.of("server.max_value " + maxValue + " is more than DuckDB's memory (" + valueMemory()
                + ") holds comfortably (" + new DataSize(largestComfortableValue()) + "): DuckDB works on 2,048"
                + " values at a time, so reads, exports and checkpoints over tables of such values can run out"
                + " of memory (503, failed exports); send large content as record files");
    }

    /**
     * What may go wrong with request bodies up to {@code maxBody} here, in words for a warning at start, or
     * empty when nothing should.
     */
    default Optional<String> bodySizeRisk(DataSize maxBody) {
        return Optional.empty();
    }

    /**
     * A DuckDB file and how DuckDB may use the machine.
     *
     * @param dataFile the DuckDB database file
     * @param memoryLimit DuckDB's {@code memory_limit}
     * @param threads DuckDB's {@code threads}
     * @param checkpointThreshold DuckDB's {@code checkpoint_threshold}: WAL size that triggers a checkpoint
     */
    record DuckDb(Path dataFile, DataSize memoryLimit, int threads, DataSize checkpointThreshold)
            implements StoreConfig {

        /**
         * The largest text value DuckDB 2.0 stores well. Longer ones (over a third of its 256 KiB
         * block, 87,381 bytes) go to overflow blocks that it keeps in memory for good: once they
         * fill {@code memory_limit} every commit fails, and so does every later checkpoint, even
         * after a restart (measured with plain JDBC; see docs/decisions.md).
         */
        public static final DataSize LARGEST_SAFE_VALUE = DataSize.ofKilobytes(80);

        public DuckDb {
            Objects.requireNonNull(dataFile, "dataFile");
        }

        @Override
        public String describe() {
            return dataFile.toString();
        }

        @Override
        public DataSize valueMemory() {
            return memoryLimit;
        }

        /**
         * A request is applied in one DuckDB transaction, whose new rows DuckDB may hold in memory: a body over
         * half of {@code memory_limit} can be acknowledged (its rows are logged) and then never fit, retried
         * until the memory is raised, at every start too.
         */
        @Override
        public Optional<String> bodySizeRisk(DataSize maxBody) {
            if (maxBody.bytes() <= memoryLimit.bytes() / 2) {
                return Optional.empty();
            }
            return Optional.of("server.max_body " + maxBody + " is more than half of storage.memory_limit ("
                    + memoryLimit + "): a request is applied in one DuckDB transaction, and one this large may be"
                    + " acknowledged and then never fit, retried until storage.memory_limit is raised; lower"
                    + " server.max_body (EIDER_MAX_BODY) or raise storage.memory_limit (EIDER_DUCKDB_MEMORY_LIMIT)");
        }

        @Override
        public Optional<String> valueSizeRisk(DataSize maxValue) {
            if (maxValue.bytes() <= LARGEST_SAFE_VALUE.bytes()) {
                return StoreConfig.super.valueSizeRisk(maxValue);
            }
            return Optional.of(StoreConfig.super.valueSizeRisk(maxValue).orElse("server.max_value " + maxValue)
                    + "; and DuckDB keeps values over about 85KB in memory for good: once they fill"
                    + " storage.memory_limit the database can no longer be written, even after a restart");
        }
    }

    /**
     * A PostgreSQL database.
     *
     * @param url the JDBC URL ({@code jdbc:postgresql://host:port/db})
     * @param user the user, or null when the URL names it
     * @param password the password, or null when the URL carries it
     * @param poolSize connections in the fixed pool
     * @param exportLease how long a table's export lease lasts unrenewed: after an exporting instance
     *     dies, another takes its table's exports over within this time
     */
    record Postgres(String url, String user, String password, int poolSize, java.time.Duration exportLease)
            implements StoreConfig {

        public static final java.time.Duration DEFAULT_EXPORT_LEASE = java.time.Duration.ofSeconds(30);

        public Postgres {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(exportLease, "exportLease");
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
            }
        }

        public Postgres(String url, String user, String password, int poolSize) {
            this(url, user, password, poolSize, DEFAULT_EXPORT_LEASE);
        }

        /** The memory of DuckDB as the Parquet engine of PostgreSQL's exports: a DuckDB store's default. */
        public static final DataSize PARQUET_ENGINE_MEMORY = DEFAULT_DUCKDB_MEMORY;

        @Override
        public DataSize valueMemory() {
            return PARQUET_ENGINE_MEMORY;
        }

        @Override
        public String describe() {
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query);
        }

        @Override
        public String toString() {
            return "Postgres[" + describe() + ", user=" + user + ", poolSize=" + poolSize + "]";
        }
    }
}
