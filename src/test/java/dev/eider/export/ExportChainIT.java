package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.config.EiderConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.store.duckdb.DuckDbExportStore;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.store.sql.Sql;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    private TableDef events;

    @BeforeEach
    void setUp() {
        config = TestConfig.in(dir, """
                tables:
                  - name: events
                    primary_key: id
                    columns:
                      - {name: id, type: int64}
                      - {name: note, type: string, nullable: true}
                """, Map.of());
        catalog = new Catalog(config.tables());
        records = catalog.require("records");
        events = catalog.require("events");
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
            assertThat(keptVersions(store, records)).isZero();
        }
    }

    @Test
    void chain_twoTablesExportedInTurn_eachEqualsTheChainReadFromTheFile() {
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog);
                ExportTarget target = ExportTargets.open(
                        config.export().target(), config.export().s3())) {
            DuckDbExportStore exports = new DuckDbExportStore(store, catalog);
            ExportService service = new ExportService(
                    exports, catalog, config.export(), target, Clock.systemUTC(), PauseHook.NONE, () -> {});

            for (int round = 1; round <= 3; round++) {
                write(store, records, round, "r" + round);
                write(store, events, round, "e" + round);
                service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
                service.runNow(events, round == 2 ? Mode.SNAPSHOT : Mode.CHANGES, ExportProgress.NONE);
                assertSameAsRead(store, exports, records, round);
                assertSameAsRead(store, exports, events, round == 1 ? 1 : round - 1);
            }
        }
    }

    @Test
    void changeExport_writeWhileItRuns_itsEndDropsTheKeptVersion() {
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog);
                ExportTarget target = ExportTargets.open(
                        config.export().target(), config.export().s3())) {
            DuckDbExportStore exports = new DuckDbExportStore(store, catalog);
            ExportService service = new ExportService(
                    exports, catalog, config.export(), target, Clock.systemUTC(), PauseHook.NONE, () -> {});
            write(store, 1L, "a");
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE);

            write(store, 2L, "x");
            exports.plan(records, Mode.CHANGES, Instant.now());
            write(store, 1L, "b"); // replaces a row the open plan reads: its version is kept
            assertThat(keptVersions(store, records)).isOne();
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE);

            assertThat(keptVersions(store, records)).isZero();
        }
    }

    private static long keptVersions(DuckDbStore store, TableDef t) {
        return store.withReader(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.preimages(t))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void assertSameAsRead(DuckDbStore store, DuckDbExportStore exports, int links) {
        assertSameAsRead(store, exports, records, links);
    }

    private void assertSameAsRead(DuckDbStore store, DuckDbExportStore exports, TableDef t, int links) {
        List<ExportPlan> kept = exports.chain(t.name());
        // A store that never saw these exports reads the chain from the file.
        List<ExportPlan> read = new DuckDbExportStore(store, catalog).chain(t.name());
        assertThat(kept).isEqualTo(read).hasSize(links);
    }

    private void write(DuckDbStore store, long id, String value) {
        write(store, records, id, value);
    }

    private void write(DuckDbStore store, TableDef t, long id, String value) {
        sequence++;
        store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(
                new WriteBatch.Rows(List.of(Mutation.upsert(t, new Object[] {id, value}))), sequence))));
    }
}
