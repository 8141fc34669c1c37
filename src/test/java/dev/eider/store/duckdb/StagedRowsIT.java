package dev.eider.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.config.EiderConfig;
import dev.eider.config.StoreConfig;
import dev.eider.store.StagedRows;
import dev.eider.store.StoreException;
import dev.eider.store.StoredRow;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.TestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large request's rows wait as a CSV file beside the database: merged whole in one transaction, found
 * again after a restart by the name the log keeps, deleted once merged or discarded, and a request that an
 * earlier version staged as a table is still merged from that table.
 */
class StagedRowsIT {

    private static final TableDef RECORDS = TableDef.DEFAULT;

    @TempDir
    Path dir;

    @Test
    void apply_stagedRows_mergesThemAndDeletesTheFile() {
        try (DuckDbStore store = open()) {
            StagedRows staged = stage(store, 1, 3, "staged");

            store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(new WriteBatch.Staged(staged), 1))));

            assertThat(value(store, 1)).contains("staged 1 \"quoted\",\n");
            assertThat(store.count(RECORDS)).isEqualTo(3);
            assertThat(stageFiles()).isEmpty();
        }
    }

    @Test
    void apply_stagedRowsWhereAKeyRepeats_keepsTheNewestOfEachAndTheRest() {
        try (DuckDbStore store = open()) {
            store.apply(new WriteBatch(
                    List.of(new WriteBatch.Sequenced(new WriteBatch.Staged(stage(store, 1, 3, "stored")), 1))));
            StagedRows staged = store.stage(RECORDS);
            // Not in key order, so not known to be distinct: merged first as if they were, which fails.
            staged.add(9L, new Object[] {9L, "nine"});
            staged.add(2L, new Object[] {2L, "two, first"});
            staged.add(5L, new Object[] {5L, "five"});
            staged.add(2L, new Object[] {2L, "two, last"});
            staged.seal();

            store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(new WriteBatch.Staged(staged), 4))));

            assertThat(value(store, 2)).contains("two, last");
            assertThat(value(store, 9)).contains("nine");
            assertThat(value(store, 1))
                    .hasValueSatisfying(v -> assertThat(v).asString().startsWith("stored"));
            assertThat(store.count(RECORDS)).isEqualTo(5);
            assertThat(store.lastSequence()).isEqualTo(7);
            assertThat(stageFiles()).isEmpty();
        }
    }

    @Test
    void apply_stagedRowsWhereAKeyRepeatsInATableWithFiles_keepsTheNewestOfEach() {
        // That table's merge is INSERT OR REPLACE, which keeps either of two rows of one key without failing.
        EiderConfig c = TestConfig.in(dir, """
                tables:
                  - name: docs
                    primary_key: id
                    columns:
                      - {name: id, type: int64}
                      - {name: title, type: string}
                      - {name: pdf, type: file}
                """, java.util.Map.of());
        Catalog catalog = new Catalog(c.tables());
        TableDef docs = catalog.require("docs");
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(c), catalog)) {
            StagedRows staged = store.stage(docs);
            for (long round = 1; round <= 3; round++) {
                for (long id = 5; id >= 1; id--) {
                    staged.add(id, new Object[] {id, "round " + round, null});
                }
            }
            staged.seal();

            store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(new WriteBatch.Staged(staged), 1))));

            for (long id = 1; id <= 5; id++) {
                assertThat(store.get(docs, id).map(r -> r.values()[1]))
                        .as("id %d", id)
                        .contains("round 3");
            }
            assertThat(store.count(docs)).isEqualTo(5);
        }
    }

    @Test
    void findStaged_afterAReopen_mergesTheRowsSealedBeforeIt() {
        String name;
        long size;
        try (DuckDbStore store = open()) {
            StagedRows staged = stage(store, 1, 5, "before the restart");
            name = staged.name();
            size = staged.size();
            // The process stops here: the log's entry names the sealed rows, nothing merged them.
        }

        try (DuckDbStore reopened = open()) {
            StagedRows found = reopened.findStaged(RECORDS, name, size);
            reopened.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(new WriteBatch.Staged(found), 1))));

            assertThat(reopened.count(RECORDS)).isEqualTo(5);
            assertThat(value(reopened, 5)).contains("before the restart 5 \"quoted\",\n");
            assertThat(reopened.lastSequence()).isEqualTo(5);
            assertThat(stageFiles()).isEmpty();
        }
    }

    @Test
    void findStaged_ofRowsNeitherInAFileNorATable_saysTheyAreMissing() {
        try (DuckDbStore store = open()) {
            assertThatThrownBy(() -> store.findStaged(RECORDS, "_eider_stage_r_gone", 3))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("_eider_stage_r_gone")
                    .hasMessageContaining("missing");
        }
    }

    @Test
    void discardLeftoverStages_deletesFilesNoLogEntryRefersTo() throws IOException {
        try (DuckDbStore store = open()) {
            stage(store, 1, 2, "left over");
            Path unrelated = Files.writeString(stageFolder().resolve("notes.txt"), "not a stage");
            assertThat(stageFiles()).hasSize(1);

            store.discardLeftoverStages();

            assertThat(stageFiles()).isEmpty();
            assertThat(unrelated).exists();
        }
    }

    @Test
    void close_ofRowsNeverHandedOver_deletesTheFile() {
        try (DuckDbStore store = open()) {
            StagedRows staged = store.stage(RECORDS);
            staged.add(1L, new Object[] {1L, "never sealed"});

            staged.close();

            assertThat(stageFiles()).isEmpty();
        }
    }

    @Test
    void findStaged_ofATableAnEarlierVersionStaged_mergesAndDropsIt() throws SQLException {
        open().close();
        // As versions before CSV staging left a request the log still refers to.
        try (Connection c = DriverManager.getConnection(
                        "jdbc:duckdb:" + duckDb().dataFile().toAbsolutePath());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE _eider_stage_r_old (id BIGINT, value VARCHAR, _ord BIGINT, _deleted BOOLEAN)");
            st.execute("INSERT INTO _eider_stage_r_old VALUES (1, 'old a', 0, false), (2, 'old b', 1, false),"
                    + " (1, 'old c', 2, false)");
        }

        try (DuckDbStore store = open()) {
            StagedRows found = store.findStaged(RECORDS, "_eider_stage_r_old", 3);
            store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(new WriteBatch.Staged(found), 1))));

            assertThat(value(store, 1)).contains("old c");
            assertThat(value(store, 2)).contains("old b");
            assertThat(store.count(RECORDS)).isEqualTo(2);
            assertThatThrownBy(() -> store.findStaged(RECORDS, "_eider_stage_r_old", 3))
                    .isInstanceOf(StoreException.class);
        }
    }

    @Test
    void stage_whereTheFolderCannotBeMade_isADiskProblemNamingTheFolder() throws IOException {
        Files.writeString(stageFolder(), "a file where the folder should be");
        try (DuckDbStore store = open()) {
            assertThatThrownBy(() -> store.stage(RECORDS))
                    .isInstanceOfSatisfying(
                            StoreException.class,
                            e -> assertThat(e.databaseCannotWrite()).isTrue())
                    .hasMessageContaining(stageFolder().toString());
        }
    }

    /** Ids {@code from} to {@code to} holding texts CSV must quote, sealed. */
    private static StagedRows stage(DuckDbStore store, long from, long to, String value) {
        StagedRows staged = store.stage(RECORDS);
        for (long id = from; id <= to; id++) {
            staged.add(id, new Object[] {id, value + " " + id + " \"quoted\",\n"});
        }
        staged.seal();
        return staged;
    }

    private List<Path> stageFiles() {
        if (!Files.isDirectory(stageFolder())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(stageFolder())) {
            return files.filter(DuckDbStage::isStageFile).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path stageFolder() {
        return DuckDbStore.stageFolder(duckDb());
    }

    private StoreConfig.DuckDb duckDb() {
        return TestConfig.duckDb(TestConfig.in(dir));
    }

    private DuckDbStore open() {
        EiderConfig c = TestConfig.in(dir);
        return DuckDbStore.open(TestConfig.duckDb(c), new Catalog(c.tables()));
    }

    private static Optional<Object> value(DuckDbStore store, long id) {
        return store.get(RECORDS, id).map(StoredRow::values).map(v -> v[1]);
    }
}
