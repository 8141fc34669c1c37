package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.config.EiderConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.store.duckdb.DuckDbExportStore;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.MovableClock;
import dev.eider.testing.TestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table's snapshot deleted at the target while its change exports go on (round fifteen's trial: exports half a
 * minute apart kept extending a head whose snapshot was gone, because each head they wrote counted as a check) is
 * noticed by the next check, a minute after the last one, however often exports ran in between.
 */
class DeletedSnapshotIT {

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private long sequence;

    @Test
    void changeExports_afterTheSnapshotWasDeleted_areRefusedAtTheNextCheck() throws IOException {
        EiderConfig config = TestConfig.in(dir);
        Catalog catalog = new Catalog(config.tables());
        TableDef records = catalog.require("records");
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog);
                FolderTarget target = new FolderTarget(dir.resolve("exports"))) {
            ExportService service = new ExportService(
                    new DuckDbExportStore(store, catalog),
                    catalog,
                    config.export(),
                    target,
                    clock,
                    PauseHook.NONE,
                    () -> {});
            write(store, records, 1L);
            service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE);
            write(store, records, 2L);
            service.runNow(records, Mode.CHANGES, ExportProgress.NONE); // the snapshot's head confirmed the chain

            deleteRecursively(target.root().resolve("records/snapshots"));
            clock.advance(Duration.ofSeconds(40)); // within the minute: not looked at again
            write(store, records, 3L);
            assertThat(service.runNow(records, Mode.CHANGES, ExportProgress.NONE)
                            .state())
                    .isEqualTo(ExportState.SUCCEEDED);
            clock.advance(Duration.ofSeconds(40)); // a minute after the check, 40 s after this exporter's last head
            write(store, records, 4L);

            assertThatThrownBy(() -> service.runNow(records, Mode.CHANGES, ExportProgress.NONE))
                    .isInstanceOf(ExportBaseMissingException.class)
                    .hasMessageContaining("snapshot manifest");
            ExportPlan snapshot = service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE);
            assertThat(snapshot.state()).isEqualTo(ExportState.SUCCEEDED);
            assertThat(target.root().resolve(snapshot.manifestKey())).exists();
        }
    }

    private void write(DuckDbStore store, TableDef t, long id) {
        sequence++;
        store.apply(new WriteBatch(List.of(new WriteBatch.Sequenced(
                new WriteBatch.Rows(List.of(Mutation.upsert(t, new Object[] {id, "v" + id}))), sequence))));
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
