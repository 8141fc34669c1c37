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
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB store keeps each table's chain in memory and extends it as exports finish: after every kind of end
 * (snapshot, change export, skipped, cancelled, a write while an export ran) it must equal the chain read from the
 * file by a store that never saw those exports.
 */
class ExportChainIT {

    @TempDir
    Path dir;

    private EiderConfig config;
    private Catalog catalog;
    private TableDef records;
    private long sequence;

    @BeforeEach
    void setUp() {
        config = TestConfig.in(dir);
        catalog = new Catalog(config.tables());
        records = catalog.require("records");
    }

    @Test
    void chain_afterEveryKindOfExport_equalsTheChainReadFromTheFile() {
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog);
                ExportTarget target = ExportTargets.open(
                        config.export().target(), config.export().s3())) {
            DuckDbExportStore exports = new DuckDbExportStore(store, catalog);
            ExportService service = new ExportService(
                    exports, catalog, config.export(), target, Clock.systemUTC(), PauseHook.NONE, () -> {});

            write(store, 1L, "a");
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
            assertSameAsRead(store, exports, 1);

            write(store, 2L, "b");
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
            assertSameAsRead(store, exports, 2);

            write(store, 1L, "c");
            service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE);
            assertSameAsRead(store, exports, 1);

            // Nothing new: skipped, and outside the chain.
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
            assertSameAsRead(store, exports, 1);

            // A write while a change export is open keeps a version, which its end forgets; the open plan runs
            // first, then one for the write.
            write(store, 3L, "d");
            exports.plan(records, Mode.CHANGES, Instant.now());
            write(store, 3L, "e");
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
            assertSameAsRead(store, exports, 3);

            // A cancelled plan changes nothing.
            write(store, 4L, "f");
            ExportPlan cancelled = exports.plan(records, Mode.CHANGES, Instant.now());
            exports.cancel(cancelled.id(), records, Instant.now(), "test");
            assertSameAsRead(store, exports, 3);

            write(store, 5L, "g");
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
            assertSameAsRead(store, exports, 4);
        }
    }

    private void assertSameAsRead(DuckDbStore store, DuckDbExportStore exports, int links) {
        List<ExportPlan> kept = exports.chain(records.name());
        List<ExportPlan> read = new DuckDbExportStore(store, catalog).chain(records.name());
        assertThat(kept).isEqualTo(read).hasSize(links);
    }

    private void write(DuckDbStore store, long id, String value) {
        sequence++;
        store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(
                new WriteBatch.Rows(List.of(Mutation.upsert(records, new Object[] {id, value}))), sequence))));
    }
}
