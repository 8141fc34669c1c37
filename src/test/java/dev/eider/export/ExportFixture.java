package dev.eider.export;

import dev.eider.config.EiderConfig;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.store.duckdb.DuckDbExportStore;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A DuckDB database in a test's folder with its export store, its configured target (a folder) and export services on
 * them; writes go straight to the store, each its own sequence. Closing it closes the services it made.
 */
final class ExportFixture implements AutoCloseable {

    final EiderConfig config;
    final Catalog catalog;
    final TableDef records;
    final DuckDbStore store;
    final ExportTarget target;
    final DuckDbExportStore exports;

    private final List<ExportService> services = new ArrayList<>();
    private long sequence;

    /** With the tables {@code yaml} declares beside {@code records}. */
    ExportFixture(Path dir, String yaml) {
        config = TestConfig.in(dir, yaml, Map.of());
        catalog = new Catalog(config.tables());
        records = catalog.require("records");
        store = DuckDbStore.open(TestConfig.duckDb(config), catalog);
        target = ExportTargets.open(config.export().target(), config.export().s3());
        exports = new DuckDbExportStore(store, catalog);
    }

    ExportService service(PauseHook pause) {
        ExportService service =
                new ExportService(exports, catalog, config.export(), target, Clock.systemUTC(), pause, () -> {});
        services.add(service);
        return service;
    }

    void write(TableDef t, long id, String value) {
        sequence++;
        store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(
                new WriteBatch.Rows(List.of(Mutation.upsert(t, new Object[] {id, value}))), sequence))));
    }

    @Override
    public void close() {
        services.forEach(ExportService::close);
        target.close();
        store.close();
    }
}
