package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.config.EiderConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.store.duckdb.DuckDbExportStore;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export planned before a restart reads its table as of its plan, even when writes replayed
 * after the restart replace rows before the export service resumes it.
 */
class HorizonRestartIT {

    @TempDir
    Path dir;

    @Test
    void snapshot_plannedBeforeRestart_keepsRowsAsOfItsPlanAfterLaterWrites() {
        EiderConfig config = TestConfig.in(dir);
        Catalog catalog = new Catalog(config.tables());
        TableDef records = catalog.require("records");
        long planned;
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog)) {
            store.apply(upsert(records, 1L, "before-plan", 1));
            planned = new DuckDbExportStore(store, catalog)
                    .plan(records, Mode.SNAPSHOT, Instant.now())
                    .id();
        }

        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog);
                ExportTarget target = ExportTargets.open(
                        config.export().target(), config.export().s3())) {
            // What replaying the write-ahead log does first thing after a restart.
            store.apply(upsert(records, 1L, "after-plan", 2));
            ExportService exports = new ExportService(
                    new DuckDbExportStore(store, catalog),
                    catalog,
                    config.export(),
                    target,
                    Clock.systemUTC(),
                    PauseHook.NONE,
                    () -> {});
            exports.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE);

            ExportPlan resumed = exports.find(planned).orElseThrow();
            ExportedTable exported = new ExportedTable(target, dir.resolve("download"));
            assertThat(ExportedTable.query(exported.files(resumed.manifestKey()), "SELECT id, value FROM f"))
                    .containsExactly("1|before-plan");
        }
    }

    private static WriteBatch upsert(TableDef t, long id, String value, long sequence) {
        return new WriteBatch(List.of(new WriteBatch.Sequenced(
                new WriteBatch.Rows(List.of(Mutation.upsert(t, new Object[] {id, value}))), sequence)));
    }
}
