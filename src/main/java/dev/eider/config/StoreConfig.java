package dev.eider.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where records are kept: a DuckDB file (the default) or a PostgreSQL database shared by several instances. */
public sealed interface StoreConfig permits StoreConfig.DuckDb, StoreConfig.Postgres {

    /** Names the database for log lines and messages, without credentials. */
    String describe();

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

        /** Is the default {@code server.max_value} on DuckDB: under {@link #LARGEST_SAFE_VALUE}. */
        public static final DataSize DEFAULT_MAX_VALUE = DataSize.ofKilobytes(64);

        public DuckDb {
            Objects.requireNonNull(dataFile, "dataFile");
        }

        @Override
        public String describe() {
            return dataFile.toString();
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
