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
import org.junit.jupiter.api.AfterEach;
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
    private DuckDbStore store;
    private ExportTarget target;
    private DuckDbExportStore exports;
    private ExportService service;

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
        store = DuckDbStore.open(TestConfig.duckDb(config), catalog);
        target = ExportTargets.open(config.export().target(), config.export().s3());
        exports = new DuckDbExportStore(store, catalog);
        service = new ExportService(
                exports, catalog, config.export(), target, Clock.systemUTC(), PauseHook.NONE, () -> {});
    }

    @AfterEach
    void tearDown() {
        target.close();
        store.close();
    }

    @Test
    void chain_afterEveryKindOfExport_equalsTheChainReadFromTheFile() {

        write(1L, "a");
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
        assertSameAsRead(1);

        write(2L, "b");
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
        assertSameAsRead(2);

        write(1L, "c");
        service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE);
        assertSameAsRead(1);

        // Nothing new: skipped, and outside the chain.
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
        assertSameAsRead(1);

        // A write while a change export is open keeps a version, which its end forgets; the open plan runs
        // first, then one for the write.
        write(3L, "d");
        exports.plan(records, Mode.CHANGES, Instant.now());
        write(3L, "e");
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
        assertSameAsRead(3);

        // A cancelled plan changes nothing.
        write(4L, "f");
        ExportPlan cancelled = exports.plan(records, Mode.CHANGES, Instant.now());
        exports.cancel(cancelled.id(), records, Instant.now(), "test");
        assertSameAsRead(3);

        write(5L, "g");
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
        assertSameAsRead(4);
        assertThat(keptVersions(records)).isZero();
    }

    @Test
    void chain_twoTablesExportedInTurn_eachEqualsTheChainReadFromTheFile() {

        for (int round = 1; round <= 3; round++) {
            write(records, round, "r" + round);
            write(events, round, "e" + round);
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
            service.runNow(events, round == 2 ? Mode.SNAPSHOT : Mode.CHANGES, ExportProgress.NONE);
            assertSameAsRead(records, round);
            assertSameAsRead(events, round == 1 ? 1 : round - 1);
        }
    }

    @Test
    void changeExport_writeWhileItRuns_itsEndDropsTheKeptVersion() {
        write(1L, "a");
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);

        write(2L, "x");
        exports.plan(records, Mode.CHANGES, Instant.now());
        write(1L, "b"); // replaces a row the open plan reads: its version is kept
        assertThat(keptVersions(records)).isOne();
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);

        assertThat(keptVersions(records)).isZero();
    }

    private long keptVersions(TableDef t) {
        return store.withReader(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.preimages(t))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void assertSameAsRead(int links) {
        assertSameAsRead(records, links);
    }

    private void assertSameAsRead(TableDef t, int links) {
        List<ExportPlan> kept = exports.chain(t.name());
        // A store that never saw these exports reads the chain from the file.
        List<ExportPlan> read = new DuckDbExportStore(store, catalog).chain(t.name());
        assertThat(kept).isEqualTo(read).hasSize(links);
    }

    private void write(long id, String value) {
        write(records, id, value);
    }

    private void write(TableDef t, long id, String value) {
        sequence++;
        store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(
                new WriteBatch.Rows(List.of(Mutation.upsert(t, new Object[] {id, value}))), sequence))));
    }
}
