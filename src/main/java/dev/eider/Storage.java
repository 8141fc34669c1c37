package dev.eider;

import dev.eider.config.IngestConfig;
import dev.eider.config.StoreConfig;
import dev.eider.export.ExportStore;
import dev.eider.ingest.CommitListener;
import dev.eider.ingest.DirectCommit;
import dev.eider.ingest.WriteQueue;
import dev.eider.ingest.Writes;
import dev.eider.store.FileReferences;
import dev.eider.store.RecordStore;
import dev.eider.store.duckdb.DuckDbExportStore;
import dev.eider.store.duckdb.DuckDbFileReferences;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.store.duckdb.NativeLibrary;
import dev.eider.store.postgres.NoFileReferences;
import dev.eider.store.postgres.PgExportStore;
import dev.eider.store.postgres.PostgresStore;
import dev.eider.table.Catalog;
import java.nio.file.Path;

/**
 * The database a configuration names, opened: its record store, its export store, its file
 * references, and how writes reach it. The one place that picks the database; the service and the
 * {@code export} and {@code restore} commands all open storage here.
 *
 * @param logDirectory the write-ahead log in front of DuckDB, or null for PostgreSQL, whose commit
 *     is durable and shared (see docs/decisions.md)
 * @param committer group commit straight into the database (PostgreSQL), or null
 */
public record Storage(
        RecordStore records,
        ExportStore exports,
        FileReferences files,
        Path logDirectory,
        DirectCommit.Committer committer)
        implements AutoCloseable {

    /** Transactions in flight per instance on PostgreSQL; the pool keeps the other connections for reads. */
    static final int COMMITTERS = 4;

    /** The write-ahead log in front of a DuckDB file: a folder beside it. */
    public static Path logDirectory(StoreConfig.DuckDb config) {
        return Path.of(config.dataFile() + ".eider-log");
    }

    public static Storage open(StoreConfig config, Catalog catalog) {
        if (config instanceof StoreConfig.DuckDb duckDb) {
            DuckDbStore store = DuckDbStore.open(duckDb, catalog);
            try {
                return new Storage(
                        store,
                        new DuckDbExportStore(store, catalog),
                        new DuckDbFileReferences(store, catalog),
                        logDirectory(duckDb),
                        null);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        StoreConfig.Postgres postgres = (StoreConfig.Postgres) config;
        NoFileReferences.refuseFileColumns(catalog);
        NativeLibrary.requireLoaded();
        PostgresStore store = PostgresStore.open(postgres, catalog);
        return new Storage(
                store,
                new PgExportStore(
                        store,
                        catalog,
                        postgres.exportLease(),
                        postgres.exportLease().dividedBy(6)),
                new NoFileReferences(),
                null,
                store::commit);
    }

    /** How writes reach this database: through the write-ahead log (DuckDB) or committed directly. */
    public Writes openWrites(Catalog catalog, IngestConfig config, CommitListener listener) {
        return committer == null
                ? WriteQueue.open(records, catalog, config, logDirectory, listener)
                : new DirectCommit(config, committer, COMMITTERS);
    }

    @Override
    public void close() {
        try {
            if (exports instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the export store: " + e.getMessage(), e);
        } finally {
            records.close();
        }
    }
}
