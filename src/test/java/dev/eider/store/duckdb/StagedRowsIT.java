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
