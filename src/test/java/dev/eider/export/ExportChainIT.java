package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.config.ExportSettings.Mode;
import dev.eider.store.duckdb.DuckDbExportStore;
import dev.eider.store.sql.Sql;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the DuckDB store keeps in memory must equal what the file holds. Each table's chain, extended as exports
 * finish: after every kind of end (snapshot, change export, skipped, cancelled, a write while an export ran) it must
 * equal the chain read from the file by a store that never saw those exports. What planning asks (the highest id,
 * each table's open plan, the watermark): after every kind of end a new plan must be what the history in the file
 * says.
 */
class ExportChainIT {

    @TempDir
    Path dir;

    private ExportFixture db;
    private TableDef records;
    private TableDef events;
    private ExportService service;

    @BeforeEach
    void setUp() {
        db = new ExportFixture(dir, """
                tables:
                  - name: events
                    primary_key: id
                    columns:
                      - {name: id, type: int64}
                      - {name: note, type: string, nullable: true}
                """);
        records = db.records;
        events = db.catalog.require("events");
        service = db.service(PauseHook.NONE);
    }

    @AfterEach
    void tearDown() {
        db.close();
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
        db.exports.plan(records, Mode.CHANGES, Instant.now());
        write(3L, "e");
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
        assertSameAsRead(3);

        // A cancelled plan changes nothing.
        write(4L, "f");
        ExportPlan cancelled = db.exports.plan(records, Mode.CHANGES, Instant.now());
        db.exports.cancel(cancelled.id(), records, Instant.now(), "test");
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
        db.exports.plan(records, Mode.CHANGES, Instant.now());
        write(1L, "b"); // replaces a row the open plan reads: its version is kept
        assertThat(keptVersions(records)).isOne();
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);

        assertThat(keptVersions(records)).isZero();
    }

    @Test
    void plan_afterEveryKindOfEnd_isWhatTheHistoryInTheFileSays() {
        write(records, 1L, "a");
        assertPlansAsTheFileSays(records); // the first plan of a new database
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);

        // Open: refused, naming the open plan, for this table only.
        write(records, 2L, "b");
        ExportPlan open = assertPlansAsTheFileSays(records);
        assertThatThrownBy(() -> db.exports.plan(records, Mode.CHANGES, Instant.now()))
                .isInstanceOfSatisfying(
                        ExportBusyException.class, e -> assertThat(e.openId()).isEqualTo(open.id()));
        write(events, 1L, "e");
        assertPlansAsTheFileSays(events);
        db.exports.cancel(db.exports.open(events.name()).orElseThrow().id(), events, Instant.now(), "test");

        // Cancelled: planning is free again, from the same watermark.
        db.exports.cancel(open.id(), records, Instant.now(), "test");
        ExportPlan afterCancel = assertPlansAsTheFileSays(records);

        // A finish refused (cancelled meanwhile) forgets what planning kept; it is read again, with a plan that
        // reached the file some other way.
        db.exports.cancel(afterCancel.id(), records, Instant.now(), "test");
        long elsewhere = recordOpenPlanInTheFile(records);
        assertThatThrownBy(() -> db.exports.succeeded(afterCancel.asAttempt(1, Instant.now()), records, Instant.now()))
                .isInstanceOf(ExportClosedException.class);
        assertThatThrownBy(() -> db.exports.plan(records, Mode.CHANGES, Instant.now()))
                .isInstanceOfSatisfying(
                        ExportBusyException.class, e -> assertThat(e.openId()).isEqualTo(elsewhere));
        // A plan kept as open that the file holds ended is not refused for.
        endInTheFile(elsewhere);
        assertPlansAsTheFileSays(records);
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE); // runs the open plan, then one with nothing new

        // Succeeded snapshot, then a change export after it.
        write(records, 3L, "c");
        service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE);
        write(records, 4L, "d");
        service.runNow(records, Mode.CHANGES, ExportProgress.NONE);
        assertPlansAsTheFileSays(records);

        // Another store of the same file (as after a restart) reads the open plan from it.
        DuckDbExportStore reopened = new DuckDbExportStore(db.store, db.catalog);
        long openNow = db.exports.open(records.name()).orElseThrow().id();
        assertThatThrownBy(() -> reopened.plan(records, Mode.CHANGES, Instant.now()))
                .isInstanceOfSatisfying(
                        ExportBusyException.class, e -> assertThat(e.openId()).isEqualTo(openNow));
    }

    /** Records an open plan of the table in the file behind the store's back; answers its id. */
    private long recordOpenPlanInTheFile(TableDef t) {
        long id = fromTheFile(t)[0];
        sql("INSERT INTO _eider_exports SELECT " + id + ", table_name, mode, to_seq, to_seq, 'planned', directory,"
                + " manifest_key, 0, 0, NULL, 0, now(), NULL, NULL, NULL FROM _eider_exports WHERE table_name = '"
                + t.name() + "' ORDER BY id DESC LIMIT 1");
        return id;
    }

    private void endInTheFile(long id) {
        sql("UPDATE _eider_exports SET state = 'cancelled' WHERE id = " + id);
    }

    private void sql(String statement) {
        db.store.exclusive(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(statement);
            }
            return null;
        });
    }

    /** Plans a change export of the table and checks it against the history as the file holds it before the plan. */
    private ExportPlan assertPlansAsTheFileSays(TableDef t) {
        long[] expected = fromTheFile(t);
        ExportPlan plan = db.exports.plan(t, Mode.CHANGES, Instant.now());
        assertThat(plan.id()).as("id").isEqualTo(expected[0]);
        assertThat(plan.fromSeq()).as("from").isEqualTo(expected[1]);
        assertThat(plan.toSeq()).as("to").isEqualTo(db.store.lastSequence());
        return plan;
    }

    /** The next id, and the table's watermark, as planning asked the file before it kept them. */
    private long[] fromTheFile(TableDef t) {
        return db.store.withReader(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) + 1, coalesce(max(to_seq) FILTER"
                            + " (WHERE table_name = '" + t.name() + "' AND state = 'succeeded'), 0)"
                            + " FROM _eider_exports")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        });
    }

    private long keptVersions(TableDef t) {
        return db.store.withReader(c -> {
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
        List<ExportPlan> kept = db.exports.chain(t.name());
        // A store that never saw these exports reads the chain from the file.
        List<ExportPlan> read = new DuckDbExportStore(db.store, db.catalog).chain(t.name());
        assertThat(kept).isEqualTo(read).hasSize(links);
    }

    private void write(long id, String value) {
        db.write(records, id, value);
    }

    private void write(TableDef t, long id, String value) {
        db.write(t, id, value);
    }
}
