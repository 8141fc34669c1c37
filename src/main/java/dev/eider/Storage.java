package dev.eider;

import dev.eider.config.StoreConfig;
import dev.eider.export.ExportStore;
import dev.eider.store.FileReferences;
import dev.eider.store.RecordStore;
import dev.eider.store.duckdb.DuckDbExportStore;
import dev.eider.store.duckdb.DuckDbFileReferences;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import java.nio.file.Path;

/**
 * The database a configuration names, opened: its record store, its export store, and where the
 * write-ahead log in front of it lives. The one place that picks the database; the service and the
 * {@code export} and {@code restore} commands all open storage here.
 */
public record Storage(RecordStore records, ExportStore exports, FileReferences files, Path logDirectory)
        implements AutoCloseable {

    public static Storage open(StoreConfig config, Catalog catalog) {
        if (config instanceof StoreConfig.DuckDb duckDb) {
            DuckDbStore store = DuckDbStore.open(duckDb, catalog);
            try {
                return new Storage(
                        store,
                        new DuckDbExportStore(store, catalog),
                        new DuckDbFileReferences(store, catalog),
                        Path.of(duckDb.dataFile() + ".eider-log"));
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        throw new IllegalArgumentException("unsupported storage: " + config.describe());
    }

    @Override
    public void close() {
        records.close();
    }
}
